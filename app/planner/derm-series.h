/* derm-series.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A treatment series booked for a client: a snapshot of the protocol's
 * numbers at booking time, the start date and where it stands. Its
 * appointments are DermAppointment objects with this series' id.
 */
#pragma once

#include <glib-object.h>

#include "derm-protocol.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_SERIES_ACTIVE    = 0,  /* sessions still to come */
  DERM_SERIES_COMPLETED = 1,  /* every session done */
  DERM_SERIES_CANCELLED = 2,  /* stopped before the end */
} DermSeriesStatus;

#define DERM_TYPE_SERIES_STATUS (derm_series_status_get_type ())
GType        derm_series_status_get_type (void) G_GNUC_CONST;
/* "active", "completed", "cancelled" */
const char  *derm_series_status_to_key   (DermSeriesStatus  status);
const char  *derm_series_status_to_label (DermSeriesStatus  status);
gboolean     derm_series_status_from_key (const char       *key,
                                          DermSeriesStatus *out);

#define DERM_TYPE_SERIES (derm_series_get_type ())
G_DECLARE_FINAL_TYPE (DermSeries, derm_series, DERM, SERIES, GObject)

DermSeries   *derm_series_new                    (void);
/* A new series for @client_id copying @protocol's numbers and name;
 * @start_date is ISO "YYYY-MM-DD" */
DermSeries   *derm_series_new_from_protocol      (DermProtocol *protocol,
                                                  gint64        client_id,
                                                  const char   *start_date);
DermSeries   *derm_series_copy                   (DermSeries   *self);

gint64        derm_series_get_id                 (DermSeries   *self);
void          derm_series_set_id                 (DermSeries   *self,
                                                  gint64        id);
gint64        derm_series_get_client_id          (DermSeries   *self);
void          derm_series_set_client_id          (DermSeries   *self,
                                                  gint64        client_id);
/* The protocol it was made from; 0 when that protocol was deleted since */
gint64        derm_series_get_protocol_id        (DermSeries   *self);
void          derm_series_set_protocol_id        (DermSeries   *self,
                                                  gint64        protocol_id);
/* Snapshot of the protocol at booking time */
const char   *derm_series_get_protocol_name      (DermSeries   *self);
void          derm_series_set_protocol_name      (DermSeries   *self,
                                                  const char   *name);
guint         derm_series_get_sessions           (DermSeries   *self);
void          derm_series_set_sessions           (DermSeries   *self,
                                                  guint         sessions);
guint         derm_series_get_interval_weeks     (DermSeries   *self);
void          derm_series_set_interval_weeks     (DermSeries   *self,
                                                  guint         weeks);
guint         derm_series_get_min_interval_weeks (DermSeries   *self);
void          derm_series_set_min_interval_weeks (DermSeries   *self,
                                                  guint         weeks);
guint         derm_series_get_max_interval_weeks (DermSeries   *self);
void          derm_series_set_max_interval_weeks (DermSeries   *self,
                                                  guint         weeks);
guint         derm_series_get_duration_minutes   (DermSeries   *self);
void          derm_series_set_duration_minutes   (DermSeries   *self,
                                                  guint         minutes);
guint         derm_series_get_follow_up_weeks    (DermSeries   *self);
void          derm_series_set_follow_up_weeks    (DermSeries   *self,
                                                  guint         weeks);
/* Incremented by the store on every booking change to the series; a
 * booking made from an older version is refused */
guint         derm_series_get_version            (DermSeries   *self);
void          derm_series_set_version            (DermSeries   *self,
                                                  guint         version);
/* ISO date the series was planned from */
const char   *derm_series_get_start_date         (DermSeries   *self);
void          derm_series_set_start_date         (DermSeries   *self,
                                                  const char   *date);
DermSeriesStatus derm_series_get_status          (DermSeries   *self);
void          derm_series_set_status             (DermSeries   *self,
                                                  DermSeriesStatus status);
/* Preferred practitioner and room; NULL for any */
const char   *derm_series_get_practitioner       (DermSeries   *self);
void          derm_series_set_practitioner       (DermSeries   *self,
                                                  const char   *practitioner);
const char   *derm_series_get_room               (DermSeries   *self);
void          derm_series_set_room               (DermSeries   *self,
                                                  const char   *room);
/* ISO 8601 UTC, set by the store */
const char   *derm_series_get_created_at         (DermSeries   *self);
void          derm_series_set_created_at         (DermSeries   *self,
                                                  const char   *timestamp);
/* Display only, filled in by the store: the client's name */
const char   *derm_series_get_client_name        (DermSeries   *self);
void          derm_series_set_client_name        (DermSeries   *self,
                                                  const char   *name);

G_END_DECLS
