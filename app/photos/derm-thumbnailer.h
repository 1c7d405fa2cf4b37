/* derm-thumbnailer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thumbnails of stored originals: a reduced decode through the imaging
 * library, cached as PNG under $XDG_CACHE_HOME/dermis/thumbnails/<size>/
 * <sha256>.png, written atomically, regenerated when missing. The cache
 * can be deleted at any time; nothing else depends on it.
 */
#pragma once

#include <gio/gio.h>

#include "derm-imaging.h"
#include "derm-types.h"

G_BEGIN_DECLS

/* The longer side of the thumbnails the gallery shows */
#define DERM_THUMBNAIL_SIZE 320

#define DERM_TYPE_THUMBNAILER (derm_thumbnailer_get_type ())
G_DECLARE_FINAL_TYPE (DermThumbnailer, derm_thumbnailer, DERM, THUMBNAILER, GObject)

/* @cache_dir: NULL for $XDG_CACHE_HOME/dermis/thumbnails */
DermThumbnailer *derm_thumbnailer_new           (const char       *cache_dir);
const char      *derm_thumbnailer_get_cache_dir (DermThumbnailer  *self);
/* Where the thumbnail is or would be; it may not exist */
char            *derm_thumbnailer_get_path      (DermThumbnailer  *self,
                                                 const char       *sha256,
                                                 int               size);
/* Caches @image (already reduced to at most @size) as the thumbnail */
gboolean         derm_thumbnailer_save          (DermThumbnailer  *self,
                                                 const char       *sha256,
                                                 int               size,
                                                 const DermImage  *image,
                                                 GError          **error);
/* The path of the thumbnail, made from @original_path first when it is
 * not cached. Any thread. */
char            *derm_thumbnailer_ensure        (DermThumbnailer  *self,
                                                 const char       *sha256,
                                                 const char       *original_path,
                                                 const char       *mime_type,
                                                 int               size,
                                                 GError          **error);
void             derm_thumbnailer_ensure_async  (DermThumbnailer  *self,
                                                 const char       *sha256,
                                                 const char       *original_path,
                                                 const char       *mime_type,
                                                 int               size,
                                                 GCancellable     *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer          user_data);
char            *derm_thumbnailer_ensure_finish (DermThumbnailer  *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);
/* Deletes every cached size of @sha256 */
void             derm_thumbnailer_forget        (DermThumbnailer  *self,
                                                 const char       *sha256);

G_END_DECLS
