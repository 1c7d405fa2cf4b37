/* derm-store-compare.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The comparison rows of DermStore (one class split across files, see
 * derm-store-private.h): a client's named regions per view, and the
 * analysis cache. A cached analysis is keyed by the photo it belongs to
 * (SHA-256), what it was paired with (the after photo and the alignment,
 * or "" for a single photo), the region geometry hash, the canonical
 * settings text and the imaging algorithm version, so a changed
 * definition or setting is recomputed, never mixed with old numbers.
 */
#pragma once

#include "derm-photo.h"
#include "derm-region.h"
#include "derm-store.h"

G_BEGIN_DECLS

/* Inserts @region (id 0; sets its id) or updates it. The region needs a
 * client, a name and a frame photo; the client must exist. */
gboolean    derm_store_save_region     (DermStore    *self,
                                        DermRegion   *region,
                                        GError      **error);
gboolean    derm_store_delete_region   (DermStore    *self,
                                        gint64        id,
                                        GError      **error);
DermRegion *derm_store_get_region      (DermStore    *self,
                                        gint64        id,
                                        GError      **error);
/* The client's regions of @view (DermRegion), in the order they were made */
GPtrArray  *derm_store_list_regions    (DermStore    *self,
                                        gint64        client_id,
                                        DermPhotoView view,
                                        GError      **error);

typedef struct
{
  const char *sha256;        /* the photo analysed (the before photo of a pair) */
  const char *pair;          /* "" alone, else the after photo and alignment */
  const char *region_hash;   /* derm_region_dup_geometry_hash (), "" for the whole photo */
  const char *settings;      /* derm_analysis_settings_to_key () */
  int         algorithm_version;
} DermAnalysisKey;

/* The cached JSON (derm_compare_metrics_to_json ()), or NULL without an
 * error when there is none for exactly this key */
char       *derm_store_lookup_analysis (DermStore             *self,
                                        const DermAnalysisKey *key,
                                        GError               **error);
/* Inserts or replaces */
gboolean    derm_store_save_analysis   (DermStore             *self,
                                        const DermAnalysisKey *key,
                                        const char            *json,
                                        GError               **error);
/* Number of cached analyses of @sha256 (either side of a pair); for tests */
gint64      derm_store_count_analyses  (DermStore             *self,
                                        const char            *sha256,
                                        GError               **error);

G_END_DECLS
