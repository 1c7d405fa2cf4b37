/* derm-protocol.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A protocol template: how a treatment series is sold and delivered
 * ("Microneedling, face": 4 sessions, every 4 weeks, at least 4 and at
 * most 6 weeks apart, 60 minutes each, follow-up photo 12 weeks after
 * the last session). Edited in Preferences; a series copies the numbers
 * when it is booked, so editing a protocol never changes booked series.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Bounds the validator enforces */
#define DERM_PROTOCOL_MAX_SESSIONS       20
#define DERM_PROTOCOL_MAX_INTERVAL_WEEKS 52
#define DERM_PROTOCOL_MIN_DURATION        5    /* minutes */
#define DERM_PROTOCOL_MAX_DURATION      480    /* minutes */

#define DERM_TYPE_PROTOCOL (derm_protocol_get_type ())
G_DECLARE_FINAL_TYPE (DermProtocol, derm_protocol, DERM, PROTOCOL, GObject)

/* A new protocol with the defaults of "Microneedling, face" and no name */
DermProtocol *derm_protocol_new                    (void);
DermProtocol *derm_protocol_copy                   (DermProtocol *self);

/* 0 until stored */
gint64        derm_protocol_get_id                 (DermProtocol *self);
void          derm_protocol_set_id                 (DermProtocol *self,
                                                    gint64        id);
const char   *derm_protocol_get_name               (DermProtocol *self);
void          derm_protocol_set_name               (DermProtocol *self,
                                                    const char   *name);
/* Number of sessions in the series, 1..DERM_PROTOCOL_MAX_SESSIONS */
guint         derm_protocol_get_sessions           (DermProtocol *self);
void          derm_protocol_set_sessions           (DermProtocol *self,
                                                    guint         sessions);
/* Default, minimum and maximum weeks between two sessions;
 * 1 <= min <= default <= max <= DERM_PROTOCOL_MAX_INTERVAL_WEEKS */
guint         derm_protocol_get_interval_weeks     (DermProtocol *self);
void          derm_protocol_set_interval_weeks     (DermProtocol *self,
                                                    guint         weeks);
guint         derm_protocol_get_min_interval_weeks (DermProtocol *self);
void          derm_protocol_set_min_interval_weeks (DermProtocol *self,
                                                    guint         weeks);
guint         derm_protocol_get_max_interval_weeks (DermProtocol *self);
void          derm_protocol_set_max_interval_weeks (DermProtocol *self,
                                                    guint         weeks);
/* Appointment length in minutes */
guint         derm_protocol_get_duration_minutes   (DermProtocol *self);
void          derm_protocol_set_duration_minutes   (DermProtocol *self,
                                                    guint         minutes);
/* Weeks after the last session for the follow-up photo; 0 for none */
guint         derm_protocol_get_follow_up_weeks    (DermProtocol *self);
void          derm_protocol_set_follow_up_weeks    (DermProtocol *self,
                                                    guint         weeks);

/* DERM_VALIDATION_ERROR naming the field when the numbers do not make a
 * series (empty name, min > default, default > max, ...) */
gboolean      derm_protocol_validate               (DermProtocol *self,
                                                    GError      **error);

G_END_DECLS
