/* derm-client-archive.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One ZIP (libarchive) per client: record.json and the originals as
 * they were imported, byte for byte, under photos/.
 */
#define G_LOG_DOMAIN "derm-photos"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "derm-appointment.h"
#include "derm-client-archive.h"
#include "derm-client.h"
#include "derm-export-file.h"
#include "derm-json.h"
#include "derm-photo.h"
#include "derm-store-photos.h"
#include "derm-store-planner.h"
#include "derm-store.h"

#define STR(b, key, value) \
  G_STMT_START { \
    json_builder_set_member_name (b, key); \
    if ((value) != NULL) json_builder_add_string_value (b, value); \
    else json_builder_add_null_value (b); \
  } G_STMT_END

/* photos/<id>-<sha256 prefix>.<extension of the original name> */
static char *
archive_name (DermPhoto *photo)
{
  const char *name = derm_photo_get_original_name (photo);
  const char *dot = name != NULL ? strrchr (name, '.') : NULL;
  g_autofree char *ext = NULL;

  if (dot != NULL && strlen (dot) <= 6)
    ext = g_ascii_strdown (dot, -1);
  for (char *p = ext; p != NULL && *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.')
      *p = '_';
  return g_strdup_printf ("photos/%" G_GINT64_FORMAT "-%.12s%s", derm_photo_get_id (photo),
                          derm_photo_get_sha256 (photo), ext != NULL ? ext : "");
}

static JsonNode *
photo_json (DermPhoto *photo)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *file = archive_name (photo);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, derm_photo_get_id (photo));
  json_builder_set_member_name (b, "session_id");
  if (derm_photo_get_treatment_id (photo) > 0)
    json_builder_add_int_value (b, derm_photo_get_treatment_id (photo));
  else
    json_builder_add_null_value (b);
  STR (b, "file", file);
  STR (b, "sha256", derm_photo_get_sha256 (photo));
  STR (b, "original_name", derm_photo_get_original_name (photo));
  STR (b, "mime_type", derm_photo_get_mime_type (photo));
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, derm_photo_get_width (photo));
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, derm_photo_get_height (photo));
  STR (b, "view", derm_photo_view_to_key (derm_photo_get_view (photo)));
  STR (b, "area", derm_photo_get_area (photo));
  STR (b, "captured_at", derm_photo_get_captured_at (photo));
  STR (b, "camera_make", derm_photo_get_camera_make (photo));
  STR (b, "camera_model", derm_photo_get_camera_model (photo));
  STR (b, "imported_at", derm_photo_get_imported_at (photo));
  STR (b, "removed_at", derm_photo_get_removed_at (photo));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
appointment_json (DermAppointment *a)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, derm_appointment_get_id (a));
  json_builder_set_member_name (b, "series_id");
  json_builder_add_int_value (b, derm_appointment_get_series_id (a));
  STR (b, "start", derm_appointment_get_start_local (a));
  STR (b, "time_zone", derm_appointment_get_time_zone (a));
  json_builder_set_member_name (b, "duration_minutes");
  json_builder_add_int_value (b, derm_appointment_get_duration_minutes (a));
  STR (b, "status", derm_appointment_status_to_key (derm_appointment_get_status (a)));
  STR (b, "room", derm_appointment_get_room (a));
  STR (b, "practitioner", derm_appointment_get_practitioner (a));
  STR (b, "note", derm_appointment_get_note (a));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
archive_failed (GError        **error,
                struct archive *a,
                const char     *dest)
{
  g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IO,
               _("Could not write %s: %s."), dest, archive_error_string (a) ? archive_error_string (a) : "?");
  return FALSE;
}

static gboolean
add_entry (struct archive *a,
           const char     *name,
           const void     *data,
           gsize           size,
           GDateTime      *when,
           const char     *dest,
           GError        **error)
{
  struct archive_entry *entry = archive_entry_new ();
  gboolean ok;

  archive_entry_set_pathname (entry, name);
  archive_entry_set_size (entry, (la_int64_t) size);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0600);
  archive_entry_set_mtime (entry, g_date_time_to_unix (when), 0);
  ok = archive_write_header (a, entry) == ARCHIVE_OK &&
       (size == 0 || archive_write_data (a, data, size) == (la_ssize_t) size);
  archive_entry_free (entry);
  return ok || archive_failed (error, a, dest);
}

gboolean
derm_client_archive_export (DermPhotoLibrary  *library,
                            gint64             client_id,
                            const char        *dest,
                            gboolean           overwrite,
                            guint             *n_photos,
                            GError           **error)
{
  DermStore *store = derm_photo_library_get_store (library);
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GPtrArray) screenings = NULL;
  g_autoptr (GPtrArray) treatments = NULL;
  g_autoptr (GPtrArray) photos = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (DermExportFile) file = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_iso = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *json = NULL;
  struct archive *a = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), FALSE);

  if ((client = derm_store_get_client (store, client_id, error)) == NULL ||
      (screenings = derm_store_list_screenings (store, client_id, error)) == NULL ||
      (treatments = derm_store_list_treatments (store, client_id, error)) == NULL ||
      (photos = derm_store_list_photos (store, client_id, DERM_PHOTO_LIST_ALL, error)) == NULL ||
      (appointments = derm_store_list_client_appointments (store, client_id, error)) == NULL)
    return FALSE;

  json_builder_begin_object (b);
  STR (b, "format", "dermis-client-record");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  STR (b, "exported_at", now_iso);
  json_builder_set_member_name (b, "client");
  json_builder_add_value (b, derm_json_from_client (client));
  json_builder_set_member_name (b, "screenings");
  json_builder_add_value (b, derm_json_from_screenings (screenings));
  json_builder_set_member_name (b, "sessions");
  json_builder_add_value (b, derm_json_from_treatments (treatments));
  json_builder_set_member_name (b, "photos");
  json_builder_begin_array (b);
  for (guint i = 0; i < photos->len; i++)
    json_builder_add_value (b, photo_json (g_ptr_array_index (photos, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "appointments");
  json_builder_begin_array (b);
  for (guint i = 0; i < appointments->len; i++)
    json_builder_add_value (b, appointment_json (g_ptr_array_index (appointments, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = derm_json_to_string (root, TRUE);

  file = derm_export_file_begin (dest, derm_store_get_data_dir (store), overwrite, error);
  if (file == NULL)
    return FALSE;

  a = archive_write_new ();
  if (archive_write_set_format_zip (a) != ARCHIVE_OK ||
      archive_write_open_filename (a, derm_export_file_get_temp_path (file)) != ARCHIVE_OK)
    {
      archive_failed (error, a, dest);
      goto out;
    }
  if (!add_entry (a, "record.json", json, strlen (json), now, dest, error))
    goto out;
  for (guint i = 0; i < photos->len; i++)
    {
      DermPhoto *photo = g_ptr_array_index (photos, i);
      g_autofree char *path = derm_photo_library_get_original_path (library, derm_photo_get_sha256 (photo));
      g_autofree char *name = archive_name (photo);
      g_autofree char *contents = NULL;
      g_autoptr (GError) read_error = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, &read_error))
        {
          g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IO,
                       _("Could not read the original of photo %lld: %s"),
                       (long long) derm_photo_get_id (photo), read_error->message);
          goto out;
        }
      if (!add_entry (a, name, contents, len, now, dest, error))
        goto out;
    }
  if (archive_write_close (a) != ARCHIVE_OK)
    {
      archive_failed (error, a, dest);
      goto out;
    }
  ok = TRUE;

out:
  if (a != NULL)
    archive_write_free (a);
  if (!ok)
    return FALSE;
  if (n_photos != NULL)
    *n_photos = photos->len;
  return derm_export_file_commit (g_steal_pointer (&file), error);
}
