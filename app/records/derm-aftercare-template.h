/* derm-aftercare-template.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The aftercare advice a clinic hands over after a session, per protocol:
 * sun avoidance and SPF, gentle cleanser and moisturiser, the active
 * ingredients to leave out and for how many days, what is normal and
 * when to call the clinic. The clinic edits it in Preferences; the
 * aftercare sheet merges it with the session (app/documents).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Longest text of one section, in characters */
#define DERM_AFTERCARE_MAX_TEXT 2000
/* Most days without active ingredients */
#define DERM_AFTERCARE_MAX_DAYS 90

#define DERM_TYPE_AFTERCARE_TEMPLATE (derm_aftercare_template_get_type ())
G_DECLARE_FINAL_TYPE (DermAftercareTemplate, derm_aftercare_template, DERM, AFTERCARE_TEMPLATE, GObject)

/* The built-in advice, for a protocol never edited (and for sessions
 * outside a series, protocol id 0) */
DermAftercareTemplate *derm_aftercare_template_new_default (gint64 protocol_id);
DermAftercareTemplate *derm_aftercare_template_copy        (DermAftercareTemplate *self);

/* 0: sessions recorded outside a series */
gint64      derm_aftercare_template_get_protocol_id  (DermAftercareTemplate *self);
void        derm_aftercare_template_set_protocol_id  (DermAftercareTemplate *self,
                                                      gint64                 protocol_id);
const char *derm_aftercare_template_get_sun          (DermAftercareTemplate *self);
void        derm_aftercare_template_set_sun          (DermAftercareTemplate *self,
                                                      const char            *text);
const char *derm_aftercare_template_get_skincare     (DermAftercareTemplate *self);
void        derm_aftercare_template_set_skincare     (DermAftercareTemplate *self,
                                                      const char            *text);
/* The ingredients to leave out ("retinoids, acids, ...") */
const char *derm_aftercare_template_get_actives      (DermAftercareTemplate *self);
void        derm_aftercare_template_set_actives      (DermAftercareTemplate *self,
                                                      const char            *text);
guint       derm_aftercare_template_get_actives_days (DermAftercareTemplate *self);
void        derm_aftercare_template_set_actives_days (DermAftercareTemplate *self,
                                                      guint                  days);
const char *derm_aftercare_template_get_normal       (DermAftercareTemplate *self);
void        derm_aftercare_template_set_normal       (DermAftercareTemplate *self,
                                                      const char            *text);
const char *derm_aftercare_template_get_call         (DermAftercareTemplate *self);
void        derm_aftercare_template_set_call         (DermAftercareTemplate *self,
                                                      const char            *text);
/* Set by the store; NULL for the built-in advice */
const char *derm_aftercare_template_get_updated_at   (DermAftercareTemplate *self);
void        derm_aftercare_template_set_updated_at   (DermAftercareTemplate *self,
                                                      const char            *iso);

/* Every text required, clean (line breaks allowed), at most
 * DERM_AFTERCARE_MAX_TEXT characters; days at most DERM_AFTERCARE_MAX_DAYS.
 * FALSE with DERM_VALIDATION_ERROR naming the first bad section. */
gboolean    derm_aftercare_template_validate         (DermAftercareTemplate *self,
                                                      GError               **error);

G_END_DECLS
