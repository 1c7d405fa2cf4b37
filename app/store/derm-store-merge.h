/* derm-store-merge.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Duplicate clients: finding the records that may be the same person
 * (derm_client_duplicate_reason()), and merging one client into another
 * in one audited transaction.
 */
#pragma once

#include "derm-client.h"
#include "derm-store.h"

G_BEGIN_DECLS

/* The clients @client may duplicate (archived ones too), each with the
 * reason as the integer data "derm-duplicate-reason" (a
 * DermDuplicateReason); @client's own id is skipped. Ordered by id. */
GPtrArray  *derm_store_find_duplicates      (DermStore   *self,
                                             DermClient  *client,
                                             GError     **error);

/* What a client's record holds, as merging counts it */
typedef struct
{
  guint screenings;
  guint sessions;
  guint photos;        /* not removed */
  guint series;
  guint appointments;
  guint regions;
} DermClientCounts;

/* "2 screenings, 1 session, 14 photos, 1 series, 5 appointments and 2
 * regions", leaving out what there is none of; "nothing" when empty */
char       *derm_client_counts_describe     (const DermClientCounts *counts);

/* Two booked appointments at overlapping times, one of each client */
typedef struct
{
  gint64 from_id;
  char   from_start[17];   /* "YYYY-MM-DDTHH:MM", the clinic's local time */
  gint64 into_id;
  char   into_start[17];
} DermMergeOverlap;

typedef struct
{
  DermClientCounts moved;     /* what @from held */
  GArray          *overlaps;  /* DermMergeOverlap */
  gboolean         screening_combined; /* a screening holding both clients' "yes" answers was added */
} DermMergeReport;

void        derm_merge_report_clear         (DermMergeReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DermMergeReport, derm_merge_report_clear)

/* What merging @from_id into @into_id would do, changing nothing */
gboolean    derm_store_preview_merge        (DermStore        *self,
                                             gint64            from_id,
                                             gint64            into_id,
                                             DermMergeReport  *report,
                                             GError          **error);

/* Moves every screening, session, photo, series, appointment and region
 * of @from_id to @into_id, fills the fields @into_id leaves empty from
 * @from_id (notes joined, concerns combined), then deletes @from_id; one
 * transaction, audited. A photo both hold stays once. When the latest
 * screening of the merged client would lose a "yes" answer of the other
 * one (a Do Not Treat finding), a screening with both answers is added
 * on the date of the later one. Booked appointments of the two that
 * overlap are reported, not changed. */
gboolean    derm_store_merge_clients        (DermStore        *self,
                                             gint64            from_id,
                                             gint64            into_id,
                                             DermMergeReport  *report,
                                             GError          **error);

G_END_DECLS
