/* derm-treatment.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One treatment session: what was done to a client on a given day.
 */
#pragma once

#include <glib-object.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_DEPTH_MIN_MM 0.1
#define DERM_DEPTH_MAX_MM 3.0

#define DERM_TYPE_TREATMENT (derm_treatment_get_type ())
G_DECLARE_FINAL_TYPE (DermTreatment, derm_treatment, DERM, TREATMENT, GObject)

DermTreatment *derm_treatment_new                (void);
DermTreatment *derm_treatment_copy               (DermTreatment *self);

gint64        derm_treatment_get_id              (DermTreatment *self);
void          derm_treatment_set_id              (DermTreatment *self,
                                                  gint64         id);
gint64        derm_treatment_get_client_id       (DermTreatment *self);
void          derm_treatment_set_client_id       (DermTreatment *self,
                                                  gint64         client_id);
/* ISO date of the session */
const char   *derm_treatment_get_date            (DermTreatment *self);
void          derm_treatment_set_date            (DermTreatment *self,
                                                  const char    *date);
const char   *derm_treatment_get_practitioner    (DermTreatment *self);
void          derm_treatment_set_practitioner    (DermTreatment *self,
                                                  const char    *name);
/* Treated areas as the practitioner writes them ("full face, neck") */
const char   *derm_treatment_get_areas           (DermTreatment *self);
void          derm_treatment_set_areas           (DermTreatment *self,
                                                  const char    *areas);
const char   *derm_treatment_get_device          (DermTreatment *self);
void          derm_treatment_set_device          (DermTreatment *self,
                                                  const char    *device);
const char   *derm_treatment_get_cartridge_lot   (DermTreatment *self);
void          derm_treatment_set_cartridge_lot   (DermTreatment *self,
                                                  const char    *lot);
/* 0 means not recorded */
guint         derm_treatment_get_passes          (DermTreatment *self);
void          derm_treatment_set_passes          (DermTreatment *self,
                                                  guint          passes);
const char   *derm_treatment_get_topical         (DermTreatment *self);
void          derm_treatment_set_topical         (DermTreatment *self,
                                                  const char    *topical);
const char   *derm_treatment_get_anaesthetic     (DermTreatment *self);
void          derm_treatment_set_anaesthetic     (DermTreatment *self,
                                                  const char    *anaesthetic);
const char   *derm_treatment_get_immediate_response (DermTreatment *self);
void          derm_treatment_set_immediate_response (DermTreatment *self,
                                                     const char    *response);
gboolean      derm_treatment_get_aftercare_given (DermTreatment *self);
void          derm_treatment_set_aftercare_given (DermTreatment *self,
                                                  gboolean       given);
const char   *derm_treatment_get_notes           (DermTreatment *self);
void          derm_treatment_set_notes           (DermTreatment *self,
                                                  const char    *notes);
/* The written reason for treating despite a contraindication (NULL when
 * none was overridden), and the codes of the cautions the practitioner
 * acknowledged, comma-separated */
const char   *derm_treatment_get_override_reason (DermTreatment *self);
void          derm_treatment_set_override_reason (DermTreatment *self,
                                                  const char    *reason);
const char   *derm_treatment_get_cautions_acknowledged (DermTreatment *self);
void          derm_treatment_set_cautions_acknowledged (DermTreatment *self,
                                                        const char    *codes);
const char   *derm_treatment_get_created_at      (DermTreatment *self);
void          derm_treatment_set_created_at      (DermTreatment *self,
                                                  const char    *timestamp);
const char   *derm_treatment_get_updated_at      (DermTreatment *self);
void          derm_treatment_set_updated_at      (DermTreatment *self,
                                                  const char    *timestamp);

/* Needle depth per facial zone, in millimetres, in the order they were set.
 * Setting a zone that is already there replaces its depth. Zone names are
 * compared case-insensitively. */
guint         derm_treatment_get_n_depths        (DermTreatment *self);
const char   *derm_treatment_get_depth_zone      (DermTreatment *self,
                                                  guint          index);
double        derm_treatment_get_depth_mm        (DermTreatment *self,
                                                  guint          index);
void          derm_treatment_set_depth           (DermTreatment *self,
                                                  const char    *zone,
                                                  double         depth_mm);
gboolean      derm_treatment_remove_depth        (DermTreatment *self,
                                                  const char    *zone);
void          derm_treatment_clear_depths        (DermTreatment *self);
/* "forehead 0.5 mm, cheeks 1.5 mm" for lists; never NULL */
char         *derm_treatment_format_depths       (DermTreatment *self);
/* Parses "forehead=0.5,left cheek=1.5" (the CLI's form) into the
 * treatment's depths, replacing them. Errors name the bad item. */
gboolean      derm_treatment_parse_depths        (DermTreatment *self,
                                                  const char    *text,
                                                  GError       **error);

G_END_DECLS
