/* derm-capture-store.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-capture"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "derm-capture-store.h"
#include "derm-imaging-error.h"
#include "derm-store-photos.h"

DermPhoto *
derm_capture_find_baseline (DermStore      *store,
                            gint64          client_id,
                            DermPhotoView   view,
                            GError        **error)
{
  g_autoptr (GPtrArray) photos = NULL;
  DermPhoto *best = NULL;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);

  photos = derm_store_list_photos (store, client_id, DERM_PHOTO_LIST_ACTIVE, error);
  if (photos == NULL)
    return NULL;
  /* Newest session first, photos without a session last: the earliest
   * session's is the last one with a session date */
  for (guint i = 0; i < photos->len; i++)
    {
      DermPhoto *photo = g_ptr_array_index (photos, i);

      if (derm_photo_get_view (photo) == view && derm_photo_get_session_date (photo) != NULL)
        best = photo;
    }
  return best != NULL ? g_object_ref (best) : NULL;
}

DermImage *
derm_capture_frame_to_image (DermCameraFrame *frame)
{
  DermImage *image = NULL;
  DermError err;

  g_return_val_if_fail (frame != NULL, NULL);

  /* Only fails for a programmer error or no memory */
  if (derm_image_new_from_rgb (derm_camera_frame_get_width (frame), derm_camera_frame_get_height (frame),
                               g_bytes_get_data (derm_camera_frame_get_pixels (frame), NULL),
                               derm_camera_frame_get_stride (frame), &image, &err) != DERM_STATUS_OK)
    g_error ("%s", err.message);
  return image;
}

DermPhoto *
derm_capture_store_shot (DermPhotoLibrary  *library,
                         gint64             client_id,
                         gint64             treatment_id,
                         DermPhotoView      view,
                         const char        *area,
                         const DermImage   *shot,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *template = g_strdup_printf ("capture-%s-XXXXXX.jpg", stamp);
  DermPhotoImportOptions options;
  DermPhoto *photo;
  DermError err;
  int fd;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);
  g_return_val_if_fail (shot != NULL, NULL);

  /* g_file_open_tmp () makes it readable by its owner only */
  fd = g_file_open_tmp (template, &path, error);
  if (fd < 0)
    return NULL;
  close (fd);
  if (derm_image_save (shot, path, 95, &err) != DERM_STATUS_OK)
    {
      g_autofree char *message = derm_imaging_error_message (&err);

      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO, _("The photo could not be written: %s"), message);
      g_unlink (path);
      return NULL;
    }

  derm_photo_import_options_init (&options);
  options.treatment_id = treatment_id;
  options.view = view;
  options.area = area;
  file = g_file_new_for_path (path);
  photo = derm_photo_library_import_file (library, client_id, file, &options, cancellable, error);
  g_unlink (path);
  return photo;
}
