/* derm-photo-library.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why each step is where it is:
 * - the copy is hashed as it is written, so the bytes hashed are the bytes
 *   stored, and a file changing under us cannot give a wrong name;
 * - a temporary file is locked (flock) for as long as its import runs, so
 *   recovery in another process removes only the leftovers of dead ones;
 * - the file is fsynced before its rename and the folder after it, so
 *   after a power cut a committed row cannot point at an empty file;
 * - the row commits last, and derm_store_add_photo() checks inside its
 *   write transaction that the file is still there.
 */
#define G_LOG_DOMAIN "derm-photo-library"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include "derm-client.h"
#include "derm-photo-decode.h"
#include "derm-photo-export.h"
#include "derm-photo-import-item.h"
#include "derm-photo-library.h"
#include "derm-store-backup.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#define COPY_CHUNK (1024 * 1024)
#define MAX_WORKERS 4

struct _DermPhotoLibrary
{
  GObject          parent_instance;

  DermStore       *store;
  DermThumbnailer *thumbnailer;
  GMainContext    *context;
  char            *photos_dir;
  char            *tmp_dir;

  gboolean         importing;
  guint            n_done;
  guint            n_total;
};

G_DEFINE_FINAL_TYPE (DermPhotoLibrary, derm_photo_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IMPORTING,
  PROP_PROGRESS,
  PROP_N_DONE,
  PROP_N_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
derm_photo_import_options_init (DermPhotoImportOptions *options)
{
  g_return_if_fail (options != NULL);

  options->treatment_id = DERM_PHOTO_SUGGEST_SESSION;
  options->view = DERM_PHOTO_VIEW_OTHER;
  options->area = NULL;
}

static void
import_failure_free (gpointer data)
{
  DermPhotoImportFailure *failure = data;

  g_free (failure->name);
  g_clear_error (&failure->error);
  g_free (failure);
}

void
derm_photo_import_report_free (DermPhotoImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->imported, g_ptr_array_unref);
  g_clear_pointer (&report->failures, g_ptr_array_unref);
  g_free (report);
}

void
derm_photo_problem_free (DermPhotoProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->sha256);
  g_free (problem->path);
  g_clear_pointer (&problem->photo_ids, g_array_unref);
  g_free (problem);
}

/* --- object ------------------------------------------------------------ */

static void
derm_photo_library_finalize (GObject *object)
{
  DermPhotoLibrary *self = DERM_PHOTO_LIBRARY (object);

  g_clear_object (&self->store);
  g_clear_object (&self->thumbnailer);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->photos_dir, g_free);
  g_clear_pointer (&self->tmp_dir, g_free);

  G_OBJECT_CLASS (derm_photo_library_parent_class)->finalize (object);
}

static void
derm_photo_library_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DermPhotoLibrary *self = DERM_PHOTO_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_IMPORTING:
      g_value_set_boolean (value, self->importing);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, derm_photo_library_get_progress (self));
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, self->n_total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_photo_library_class_init (DermPhotoLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_photo_library_finalize;
  object_class->get_property = derm_photo_library_get_property;

  properties[PROP_IMPORTING] = g_param_spec_boolean ("importing", NULL, NULL, FALSE, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_TOTAL] = g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_photo_library_init (DermPhotoLibrary *self)
{
}

DermPhotoLibrary *
derm_photo_library_new (DermStore       *store,
                        DermThumbnailer *thumbnailer)
{
  DermPhotoLibrary *self;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (thumbnailer == NULL || DERM_IS_THUMBNAILER (thumbnailer), NULL);

  self = g_object_new (DERM_TYPE_PHOTO_LIBRARY, NULL);
  self->store = g_object_ref (store);
  self->thumbnailer = thumbnailer ? g_object_ref (thumbnailer) : derm_thumbnailer_new (NULL);
  self->context = g_main_context_ref_thread_default ();
  self->photos_dir = g_build_filename (derm_store_get_data_dir (store), "photos", NULL);
  self->tmp_dir = g_build_filename (self->photos_dir, ".tmp", NULL);
  return self;
}

DermStore *
derm_photo_library_get_store (DermPhotoLibrary *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), NULL);
  return self->store;
}

DermThumbnailer *
derm_photo_library_get_thumbnailer (DermPhotoLibrary *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), NULL);
  return self->thumbnailer;
}

const char *
derm_photo_library_get_photos_dir (DermPhotoLibrary *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), NULL);
  return self->photos_dir;
}

char *
derm_photo_library_get_original_path (DermPhotoLibrary *self,
                                      const char       *sha256)
{
  char prefix[3];

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), NULL);
  g_return_val_if_fail (sha256 != NULL && strlen (sha256) == 64, NULL);

  prefix[0] = sha256[0];
  prefix[1] = sha256[1];
  prefix[2] = '\0';
  return g_build_filename (self->photos_dir, prefix, sha256, NULL);
}

gboolean
derm_photo_library_get_importing (DermPhotoLibrary *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), FALSE);
  return self->importing;
}

double
derm_photo_library_get_progress (DermPhotoLibrary *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), 0.0);
  return self->n_total > 0 ? (double) self->n_done / self->n_total : 0.0;
}

/* --- files ------------------------------------------------------------- */

/* For g_ptr_array_sort(), which passes pointers to the elements */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *what,
              const char  *path)
{
  if (saved_errno == ENOSPC)
    g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                 _("The disk is full. Nothing was imported; free some disk space and try again."));
  else
    g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                 "%s %s: %s.", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
ensure_private_dir (const char  *path,
                    GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    return set_io_error (error, errno, _("Cannot create the photo folder"), path);
  return TRUE;
}

static gboolean
fsync_dir (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return set_io_error (error, errno, _("Cannot open the photo folder"), path);
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved = errno;

      close (fd);
      return set_io_error (error, saved, _("Cannot save the photo folder"), path);
    }
  close (fd);
  return TRUE;
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* A temporary copy being imported: locked while it lives */
typedef struct
{
  int   fd;
  char *path;
} TmpFile;

static void
tmp_file_discard (TmpFile *tmp)
{
  if (tmp->path != NULL)
    g_unlink (tmp->path);
  if (tmp->fd >= 0)
    close (tmp->fd);
  tmp->fd = -1;
  g_clear_pointer (&tmp->path, g_free);
}

/* Makes a new temporary file in the library's private folder for a file
 * being stored, locked until it is placed or discarded: recovery skips
 * locked files */
static gboolean
tmp_file_open (DermPhotoLibrary  *self,
               TmpFile           *tmp,
               GError           **error)
{
  if (!ensure_private_dir (self->tmp_dir, error))
    return FALSE;

  tmp->path = g_build_filename (self->tmp_dir, "import-XXXXXX", NULL);
  tmp->fd = g_mkstemp_full (tmp->path, O_RDWR | O_CLOEXEC, 0600);
  if (tmp->fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&tmp->path, g_free);
      return set_io_error (error, saved, _("Cannot write in the photo folder"), self->tmp_dir);
    }
  flock (tmp->fd, LOCK_EX);
  return TRUE;
}

/* Opens @file for an import: a local file through derm_photo_open(), so
 * a FIFO, a device, a folder, an oversized or empty file and one that is
 * not a photo by its first bytes are refused before anything is copied;
 * a remote one (no local path) after the same checks on what GIO says. */
static GInputStream *
open_source (GFile         *file,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GFileInputStream) input = NULL;
  g_autoptr (GError) local_error = NULL;
  guint8 head[16];
  gsize n = 0;

  if (path != NULL)
    {
      int fd = derm_photo_open (path, NULL, NULL, error);

      return fd >= 0 ? g_unix_input_stream_new (fd, TRUE) : NULL;
    }

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_FOUND, _("The file does not exist."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_UNSUPPORTED, _("This is a folder, not a photo."));
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_UNSUPPORTED,
                   _("This is not a regular file (it is a device, pipe or socket), so it was not read. Choose a photo file."));
      return NULL;
    }
  if ((guint64) g_file_info_get_size (info) > DERM_PHOTO_MAX_FILE_SIZE)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_TOO_LARGE,
                   _("The file is larger than 1 GB; this is not a photo Dermis can use."));
      return NULL;
    }
  input = g_file_read (file, cancellable, error);
  if (input == NULL)
    return NULL;
  if (!g_input_stream_read_all (G_INPUT_STREAM (input), head, sizeof head, &n, cancellable, error))
    return NULL;
  if (derm_photo_format_sniff (head, n) == DERM_PHOTO_FORMAT_UNKNOWN)
    {
      g_set_error (error, DERM_PHOTO_ERROR, n == 0 ? DERM_PHOTO_ERROR_CORRUPT : DERM_PHOTO_ERROR_UNSUPPORTED,
                   n == 0 ? _("The file is empty.") : _("This is not a JPEG, PNG, TIFF or HEIC photo."));
      return NULL;
    }
  /* Start again from the first byte */
  g_clear_object (&input);
  return G_INPUT_STREAM (g_file_read (file, cancellable, error));
}

/* Copies @file into a new locked temporary file, hashing it on the way */
static gboolean
copy_to_tmp (DermPhotoLibrary  *self,
             GFile             *file,
             TmpFile           *tmp,
             char             **sha256_out,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autoptr (GInputStream) input = NULL;
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  guint64 total = 0;

  input = open_source (file, cancellable, error);
  if (input == NULL)
    return FALSE;

  if (!tmp_file_open (self, tmp, error))
    return FALSE;

  buffer = g_malloc (COPY_CHUNK);
  for (;;)
    {
      gssize n = g_input_stream_read (input, buffer, COPY_CHUNK, cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      total += (guint64) n;
      /* The file may have grown since it was checked */
      if (total > DERM_PHOTO_MAX_FILE_SIZE)
        {
          g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_TOO_LARGE,
                       _("The file is larger than 1 GB; this is not a photo Dermis can use."));
          return FALSE;
        }
      g_checksum_update (checksum, buffer, (gsize) n);
      if (!write_all (tmp->fd, buffer, (gsize) n))
        return set_io_error (error, errno, _("Cannot write"), tmp->path);
    }

  if (total == 0)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_CORRUPT, _("The file is empty."));
      return FALSE;
    }
  if (fsync (tmp->fd) != 0)
    return set_io_error (error, errno, _("Cannot save"), tmp->path);

  *sha256_out = g_strdup (g_checksum_get_string (checksum));
  return TRUE;
}

/* Moves the temporary copy to its content-addressed name */
static gboolean
place_original (DermPhotoLibrary  *self,
                TmpFile           *tmp,
                const char        *sha256,
                char             **final_out,
                GError           **error)
{
  g_autofree char *final = derm_photo_library_get_original_path (self, sha256);
  g_autofree char *dir = g_path_get_dirname (final);
  gboolean new_dir = !g_file_test (dir, G_FILE_TEST_IS_DIR);
  GStatBuf existing, ours;

  if (new_dir && !ensure_private_dir (dir, error))
    return FALSE;

  /* The same content is already stored (another client's photo, or an
   * orphan): keep it, unless it was damaged, which its size would show */
  if (g_stat (final, &existing) == 0 && fstat (tmp->fd, &ours) == 0 &&
      existing.st_size == ours.st_size)
    {
      tmp_file_discard (tmp);
    }
  else
    {
      if (fchmod (tmp->fd, 0400) != 0 || g_rename (tmp->path, final) != 0)
        return set_io_error (error, errno, _("Cannot store the photo as"), final);
      g_clear_pointer (&tmp->path, g_free);
      tmp_file_discard (tmp);
    }

  if (!fsync_dir (dir, error) ||
      (new_dir && !fsync_dir (self->photos_dir, error)))
    return FALSE;

  *final_out = g_steal_pointer (&final);
  return TRUE;
}

static char *
file_display_name (GFile *file)
{
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                  G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_basename (file);
}

/* Fills in what the file says about itself; the decode doubles as the
 * validation and gives the thumbnail */
static DermPhoto *
describe_file (DermPhotoLibrary  *self,
               const char        *path,
               const char        *sha256,
               DermImage        **thumbnail_out,
               GError           **error)
{
  g_auto (DermPhotoMetadata) md = { 0 };
  g_autoptr (DermPhoto) photo = NULL;
  DermPhotoFormat format = derm_photo_format_sniff_file (path);
  DermImage *image;
  int full_width = 0, full_height = 0;
  int width, height;

  if (format == DERM_PHOTO_FORMAT_UNKNOWN)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_UNSUPPORTED,
                   _("This is not a JPEG, PNG, TIFF or HEIC photo."));
      return NULL;
    }

  image = derm_photo_decode_file (path, format, DERM_THUMBNAIL_SIZE,
                                  &full_width, &full_height, error);
  if (image == NULL)
    return NULL;

  derm_photo_read_metadata (path, format, &md);

  if (full_width > 0 && full_height > 0)
    {
      width = full_width;
      height = full_height;
    }
  else if (md.width > 0 && md.height > 0)
    {
      gboolean swapped = md.orientation >= 5;

      width = swapped ? md.height : md.width;
      height = swapped ? md.width : md.height;
    }
  else
    {
      width = derm_image_get_width (image);
      height = derm_image_get_height (image);
    }

  photo = derm_photo_new ();
  derm_photo_set_sha256 (photo, sha256);
  derm_photo_set_mime_type (photo, derm_photo_format_to_mime (format));
  derm_photo_set_size (photo, width, height);
  /* libheif has already applied the file's own rotation */
  derm_photo_set_orientation (photo, format == DERM_PHOTO_FORMAT_HEIF ? 1 : md.orientation);
  derm_photo_set_captured_at (photo, md.captured_at);
  derm_photo_set_camera_make (photo, md.camera_make);
  derm_photo_set_camera_model (photo, md.camera_model);

  *thumbnail_out = image;
  return g_steal_pointer (&photo);
}

static gboolean
file_photo (DermPhotoLibrary              *self,
            DermPhoto                     *photo,
            gint64                         client_id,
            const DermPhotoImportOptions  *options,
            GError                       **error)
{
  DermPhotoImportOptions defaults;
  gint64 treatment_id;

  if (options == NULL)
    {
      derm_photo_import_options_init (&defaults);
      options = &defaults;
    }

  treatment_id = options->treatment_id;
  if (treatment_id == DERM_PHOTO_SUGGEST_SESSION)
    {
      GError *local_error = NULL;

      treatment_id = derm_store_suggest_treatment (self->store, client_id,
                                                   derm_photo_get_captured_at (photo),
                                                   &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }

  derm_photo_set_client_id (photo, client_id);
  derm_photo_set_treatment_id (photo, MAX (treatment_id, 0));
  derm_photo_set_view (photo, options->view);
  derm_photo_set_area (photo, options->area);
  return TRUE;
}

static void
save_thumbnail (DermPhotoLibrary *self,
                DermPhoto        *photo,
                DermImage        *image)
{
  g_autoptr (GError) error = NULL;

  /* Only a cache: a failure here is repaired on first display */
  if (!derm_thumbnailer_save (self->thumbnailer, derm_photo_get_sha256 (photo),
                              DERM_THUMBNAIL_SIZE, image, &error))
    g_warning ("Thumbnail of %s: %s", derm_photo_get_sha256 (photo), error->message);
}

/* Refuses an unknown client or a foreign session before any file is
 * placed, so that a refused import leaves no original behind */
static gboolean
check_target (DermPhotoLibrary              *self,
              gint64                         client_id,
              const DermPhotoImportOptions  *options,
              GError                       **error)
{
  g_autoptr (DermClient) client = derm_store_get_client (self->store, client_id, error);

  if (client == NULL)
    return FALSE;
  if (options != NULL && options->treatment_id > 0)
    {
      g_autoptr (DermTreatment) treatment = derm_store_get_treatment (self->store,
                                                                     options->treatment_id,
                                                                     error);
      if (treatment == NULL)
        return FALSE;
      if (derm_treatment_get_client_id (treatment) != client_id)
        {
          g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                       _("Session %lld is another client’s. Choose one of this client’s sessions."),
                       (long long) options->treatment_id);
          return FALSE;
        }
    }
  return TRUE;
}

DermPhoto *
derm_photo_library_import_file (DermPhotoLibrary              *self,
                                gint64                         client_id,
                                GFile                         *file,
                                const DermPhotoImportOptions  *options,
                                GCancellable                  *cancellable,
                                GError                       **error)
{
  TmpFile tmp = { -1, NULL };
  g_autoptr (DermPhoto) photo = NULL;
  g_autoptr (DermPhoto) existing = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *final = NULL;
  g_autofree char *name = NULL;
  DermImage *thumbnail = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!check_target (self, client_id, options, error) ||
      !copy_to_tmp (self, file, &tmp, &sha256, cancellable, error))
    goto fail;

  existing = derm_store_find_photo (self->store, client_id, sha256, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      goto fail;
    }
  if (existing != NULL)
    {
      if (derm_photo_get_removed_at (existing) != NULL)
        g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_DUPLICATE,
                     _("Already in this client’s photos, in Recently removed. Restore it from there."));
      else
        g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_DUPLICATE,
                     _("Already in this client’s photos."));
      goto fail;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  photo = describe_file (self, tmp.path, sha256, &thumbnail, error);
  if (photo == NULL)
    goto fail;
  name = file_display_name (file);
  derm_photo_set_original_name (photo, name);
  if (!file_photo (self, photo, client_id, options, error))
    goto fail;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  if (!place_original (self, &tmp, sha256, &final, error) ||
      !derm_store_add_photo (self->store, photo, final, error))
    goto fail;

  save_thumbnail (self, photo, thumbnail);
  derm_image_free (thumbnail);
  return g_steal_pointer (&photo);

fail:
  tmp_file_discard (&tmp);
  g_clear_pointer (&thumbnail, derm_image_free);
  return NULL;
}

/* --- bulk import --------------------------------------------------------- */

typedef struct
{
  DermPhotoLibrary       *library;
  gint64                  client_id;
  DermPhotoImportOptions  options;
  char                   *area;
  GPtrArray              *inputs;    /* GFile, as given */
  GArray                 *each;      /* DermPhotoImportOptions per file (areas owned), or NULL */
  GPtrArray              *files;     /* GFile, folders expanded */
  GPtrArray              *results;   /* DermPhoto or NULL, per file */
  GPtrArray              *errors;    /* GError or NULL, per file */
  GCancellable           *cancellable;
  gint                    next;
  gint                    done;
} ImportJob;

static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  g_clear_object (&job->library);
  g_free (job->area);
  if (job->each != NULL)
    for (guint i = 0; i < job->each->len; i++)
      g_free ((char *) g_array_index (job->each, DermPhotoImportOptions, i).area);
  g_clear_pointer (&job->each, g_array_unref);
  g_clear_pointer (&job->inputs, g_ptr_array_unref);
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_clear_pointer (&job->results, g_ptr_array_unref);
  g_clear_pointer (&job->errors, g_ptr_array_unref);
  g_clear_object (&job->cancellable);
  g_free (job);
}

/* Slots of files not reached (cancelled) stay NULL */
static void
clear_object_slot (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static void
clear_error_slot (gpointer data)
{
  if (data != NULL)
    g_error_free (data);
}

/* The identity of what @file leads to (symlinks followed), "device:inode";
 * NULL when the file system gives none (a remote file). */
static char *
file_identity (GFile        *file,
               GFileType    *type,
               GCancellable *cancellable)
{
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                  G_FILE_ATTRIBUTE_UNIX_DEVICE ","
                                                  G_FILE_ATTRIBUTE_UNIX_INODE,
                                                  G_FILE_QUERY_INFO_NONE, cancellable, NULL);

  *type = info != NULL ? g_file_info_get_file_type (info) : G_FILE_TYPE_UNKNOWN;
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_INODE))
    return NULL;
  return g_strdup_printf ("%u:%" G_GUINT64_FORMAT,
                          g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_DEVICE),
                          g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_UNIX_INODE));
}

/* Adds @file, or the photos of the folder it is, to @out; @visited holds
 * the identities of every file and folder met, so each is taken once and a
 * symlink back to a folder being walked ends the walk there. */
static void
collect_files (GFile        *file,
               gboolean      from_folder,
               GHashTable   *visited,
               GPtrArray    *out,
               GCancellable *cancellable)
{
  g_autoptr (GFileEnumerator) enumerator = NULL;
  g_autoptr (GPtrArray) children = NULL;
  GFileType type;
  char *identity = file_identity (file, &type, cancellable);

  if (identity != NULL)
    {
      if (g_hash_table_contains (visited, identity))
        {
          g_free (identity);
          return;
        }
      g_hash_table_add (visited, identity);
    }

  if (type != G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *name = g_file_get_basename (file);

      /* A file chosen by name is always tried, so it fails with a reason;
       * inside a folder only photos are picked up */
      if (!from_folder || derm_photo_format_has_known_extension (name))
        g_ptr_array_add (out, g_object_ref (file));
      return;
    }

  enumerator = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                          G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  if (enumerator == NULL)
    return;

  children = g_ptr_array_new_with_free_func (g_free);
  for (;;)
    {
      GFileInfo *info = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, NULL, cancellable, NULL) || info == NULL)
        break;
      if (!g_file_info_get_is_hidden (info))
        g_ptr_array_add (children, g_strdup (g_file_info_get_name (info)));
    }
  g_ptr_array_sort (children, compare_strings);

  for (guint i = 0; i < children->len; i++)
    {
      g_autoptr (GFile) child = g_file_get_child (file, g_ptr_array_index (children, i));

      if (g_cancellable_is_cancelled (cancellable))
        return;
      collect_files (child, TRUE, visited, out, cancellable);
    }
}

GPtrArray *
derm_photo_library_collect_files (GFile        **files,
                                  guint          n_files,
                                  GCancellable  *cancellable)
{
  g_autoptr (GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (files != NULL || n_files == 0, out);

  for (guint i = 0; i < n_files; i++)
    collect_files (files[i], FALSE, visited, out, cancellable);
  return out;
}

typedef struct
{
  DermPhotoLibrary *library;
  gboolean          reset;      /* else n_done only grows: workers post out of order */
  guint             n_done;
  guint             n_total;
  gboolean          importing;
} ProgressUpdate;

static gboolean
apply_progress (gpointer data)
{
  ProgressUpdate *update = data;
  DermPhotoLibrary *self = update->library;

  if (!update->reset && update->n_done < self->n_done)
    update->n_done = self->n_done;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_total != update->n_total)
    {
      self->n_total = update->n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  if (self->n_done != update->n_done)
    {
      self->n_done = update->n_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  if (self->importing != update->importing)
    {
      self->importing = update->importing;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTING]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_object_unref (update->library);
  g_free (update);
}

static void
post_progress (ImportJob *job,
               guint      n_done,
               guint      n_total)
{
  ProgressUpdate *update;

  update = g_new0 (ProgressUpdate, 1);
  update->library = g_object_ref (job->library);
  update->n_done = n_done;
  update->n_total = n_total;
  update->importing = TRUE;
  g_main_context_invoke_full (job->library->context, G_PRIORITY_DEFAULT, apply_progress,
                              update, progress_update_free);
}

static gpointer
import_worker (gpointer data)
{
  ImportJob *job = data;
  guint n = job->files->len;

  for (;;)
    {
      guint index = (guint) g_atomic_int_add (&job->next, 1);
      GError *error = NULL;
      DermPhoto *photo;

      if (index >= n || g_cancellable_is_cancelled (job->cancellable))
        break;

      photo = derm_photo_library_import_file (job->library, job->client_id,
                                              g_ptr_array_index (job->files, index),
                                              job->each != NULL
                                                ? &g_array_index (job->each, DermPhotoImportOptions, index)
                                                : &job->options,
                                              job->cancellable, &error);
      /* Each slot is written by exactly one worker */
      job->results->pdata[index] = photo;
      job->errors->pdata[index] = error;
      post_progress (job, (guint) g_atomic_int_add (&job->done, 1) + 1, n);
    }
  return NULL;
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  DermPhotoImportReport *report;
  GThread *threads[MAX_WORKERS];
  guint n_workers;

  /* Items are files already, each with its options */
  if (job->each == NULL)
    {
      g_clear_pointer (&job->files, g_ptr_array_unref);
      job->files = derm_photo_library_collect_files ((GFile **) job->inputs->pdata, job->inputs->len,
                                                     cancellable);
    }

  g_ptr_array_set_size (job->results, (gint) job->files->len);
  g_ptr_array_set_size (job->errors, (gint) job->files->len);
  post_progress (job, 0, job->files->len);

  n_workers = CLAMP (g_get_num_processors (), 1, MAX_WORKERS);
  n_workers = MIN (n_workers, MAX (job->files->len, 1));
  for (guint i = 1; i < n_workers; i++)
    threads[i] = g_thread_new ("derm-import", import_worker, job);
  import_worker (job);
  for (guint i = 1; i < n_workers; i++)
    g_thread_join (threads[i]);

  report = g_new0 (DermPhotoImportReport, 1);
  report->imported = g_ptr_array_new_with_free_func (g_object_unref);
  report->failures = g_ptr_array_new_with_free_func (import_failure_free);
  report->n_files = job->files->len;
  report->cancelled = g_cancellable_is_cancelled (cancellable);

  for (guint i = 0; i < job->files->len; i++)
    {
      DermPhoto *photo = g_ptr_array_index (job->results, i);
      GError *error = g_ptr_array_index (job->errors, i);

      if (photo != NULL)
        {
          g_ptr_array_add (report->imported, photo);
          job->results->pdata[i] = NULL;
        }
      else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          DermPhotoImportFailure *failure = g_new0 (DermPhotoImportFailure, 1);

          failure->name = file_display_name (g_ptr_array_index (job->files, i));
          failure->error = error;
          job->errors->pdata[i] = NULL;
          g_ptr_array_add (report->failures, failure);
        }
    }

  g_task_return_pointer (task, report, (GDestroyNotify) derm_photo_import_report_free);
}

static void
set_importing (DermPhotoLibrary *self,
               gboolean          importing,
               guint             n_done,
               guint             n_total)
{
  ProgressUpdate update = { self, TRUE, n_done, n_total, importing };

  apply_progress (&update);
}

static void
import_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *outer = user_data;
  DermPhotoLibrary *self = g_task_get_source_object (outer);
  GError *error = NULL;
  DermPhotoImportReport *report = g_task_propagate_pointer (G_TASK (result), &error);

  set_importing (self, FALSE, self->n_total, self->n_total);
  if (report == NULL)
    g_task_return_error (outer, error);
  else
    g_task_return_pointer (outer, report, (GDestroyNotify) derm_photo_import_report_free);
  g_object_unref (outer);
}

/* @each: the options of each file (taken), the files then being the
 * ones to import; NULL for @options for all and folders expanded */
static void
start_import (DermPhotoLibrary              *self,
              gint64                         client_id,
              GFile                        **files,
              guint                          n_files,
              const DermPhotoImportOptions  *options,
              GArray                        *each,
              GCancellable                  *cancellable,
              GAsyncReadyCallback            callback,
              gpointer                       user_data)
{
  GTask *outer;
  g_autoptr (GTask) inner = NULL;
  ImportJob *job;

  job = g_new0 (ImportJob, 1);
  job->library = g_object_ref (self);
  job->each = each;

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, derm_photo_library_import_async);
  /* A cancelled import still reports what it imported before it stopped */
  g_task_set_check_cancellable (outer, FALSE);

  if (self->importing)
    {
      import_job_free (job);
      g_task_return_new_error (outer, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_BUSY,
                               _("Photos are already being imported. Wait for that import to finish."));
      g_object_unref (outer);
      return;
    }

  job->client_id = client_id;
  if (options != NULL)
    job->options = *options;
  else
    derm_photo_import_options_init (&job->options);
  job->area = g_strdup (job->options.area);
  job->options.area = job->area;
  job->inputs = g_ptr_array_new_with_free_func (g_object_unref);
  job->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    {
      g_ptr_array_add (job->inputs, g_object_ref (files[i]));
      if (each != NULL)
        g_ptr_array_add (job->files, g_object_ref (files[i]));
    }
  job->results = g_ptr_array_new_with_free_func (clear_object_slot);
  job->errors = g_ptr_array_new_with_free_func (clear_error_slot);
  job->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();

  set_importing (self, TRUE, 0, 0);

  /* The inner task runs the workers; the outer one resets the progress
   * on the main context before the caller hears of the result */
  inner = g_task_new (self, job->cancellable, import_done, outer);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, job, import_job_free);
  g_task_run_in_thread (inner, import_thread);
}

void
derm_photo_library_import_async (DermPhotoLibrary              *self,
                                 gint64                         client_id,
                                 GFile                        **files,
                                 guint                          n_files,
                                 const DermPhotoImportOptions  *options,
                                 GCancellable                  *cancellable,
                                 GAsyncReadyCallback            callback,
                                 gpointer                       user_data)
{
  g_return_if_fail (DERM_IS_PHOTO_LIBRARY (self));
  g_return_if_fail (files != NULL || n_files == 0);

  start_import (self, client_id, files, n_files, options, NULL, cancellable, callback, user_data);
}

void
derm_photo_library_import_items_async (DermPhotoLibrary    *self,
                                       gint64               client_id,
                                       GPtrArray           *items,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new ();
  GArray *each;

  g_return_if_fail (DERM_IS_PHOTO_LIBRARY (self));
  g_return_if_fail (items != NULL);

  each = g_array_sized_new (FALSE, TRUE, sizeof (DermPhotoImportOptions), items->len);
  for (guint i = 0; i < items->len; i++)
    {
      DermPhotoImportItem *item = g_ptr_array_index (items, i);
      DermPhotoImportOptions options;

      derm_photo_import_item_get_options (item, &options);
      options.area = g_strdup (options.area);
      g_array_append_val (each, options);
      g_ptr_array_add (files, derm_photo_import_item_get_file (item));
    }
  start_import (self, client_id, (GFile **) files->pdata, files->len, NULL, each,
                cancellable, callback, user_data);
}

GPtrArray *
derm_photo_library_scan (DermPhotoLibrary  *self,
                         gint64             client_id,
                         GFile            **files,
                         guint              n_files,
                         GCancellable      *cancellable)
{
  g_autoptr (GPtrArray) found = NULL;
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), items);

  found = derm_photo_library_collect_files (files, n_files, cancellable);
  for (guint i = 0; i < found->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      GFile *file = g_ptr_array_index (found, i);
      DermPhotoImportItem *item = derm_photo_import_item_new (file);
      g_autofree char *path = g_file_get_path (file);
      DermPhotoFormat format = path != NULL ? derm_photo_format_sniff_file (path) : DERM_PHOTO_FORMAT_UNKNOWN;

      if (format != DERM_PHOTO_FORMAT_UNKNOWN)
        {
          g_auto (DermPhotoMetadata) md = { 0 };

          derm_photo_read_metadata (path, format, &md);
          derm_photo_import_item_set_captured_at (item, md.captured_at);
          if (md.captured_at != NULL)
            /* No session is what an unreadable store suggests as well */
            derm_photo_import_item_set_suggested_session (item,
                                                          derm_store_suggest_treatment (self->store, client_id,
                                                                                        md.captured_at, NULL));
        }
      g_ptr_array_add (items, item);
    }

  return items;
}

DermPhotoImportReport *
derm_photo_library_import_finish (DermPhotoLibrary  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- recently removed -------------------------------------------------- */

gboolean
derm_photo_library_remove (DermPhotoLibrary  *self,
                           DermPhoto         *photo,
                           GError           **error)
{
  g_autoptr (DermPhoto) stored = NULL;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), FALSE);
  g_return_val_if_fail (DERM_IS_PHOTO (photo), FALSE);

  if (!derm_store_set_photo_removed (self->store, derm_photo_get_id (photo), TRUE, error))
    return FALSE;
  stored = derm_store_get_photo (self->store, derm_photo_get_id (photo), NULL);
  derm_photo_set_removed_at (photo, stored ? derm_photo_get_removed_at (stored) : NULL);
  return TRUE;
}

gboolean
derm_photo_library_restore (DermPhotoLibrary  *self,
                            DermPhoto         *photo,
                            GError           **error)
{
  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), FALSE);
  g_return_val_if_fail (DERM_IS_PHOTO (photo), FALSE);

  if (!derm_store_set_photo_removed (self->store, derm_photo_get_id (photo), FALSE, error))
    return FALSE;
  derm_photo_set_removed_at (photo, NULL);
  return TRUE;
}

static gboolean
erase_if_unreferenced (DermPhotoLibrary  *self,
                       const char        *sha256,
                       gboolean          *erased,
                       GError           **error)
{
  g_autofree char *path = derm_photo_library_get_original_path (self, sha256);

  if (!derm_store_unlink_unreferenced (self->store, sha256, path, erased, error))
    return FALSE;
  if (*erased)
    derm_thumbnailer_forget (self->thumbnailer, sha256);
  return TRUE;
}

gboolean
derm_photo_library_empty_removed (DermPhotoLibrary  *self,
                                  gint64             client_id,
                                  guint             *n_erased_files,
                                  GError           **error)
{
  g_autoptr (GPtrArray) unreferenced = NULL;
  guint n = 0;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), FALSE);

  unreferenced = derm_store_purge_removed_photos (self->store, client_id, error);
  if (unreferenced == NULL)
    return FALSE;

  for (guint i = 0; i < unreferenced->len; i++)
    {
      gboolean erased = FALSE;

      if (!erase_if_unreferenced (self, g_ptr_array_index (unreferenced, i), &erased, error))
        return FALSE;
      n += erased ? 1 : 0;
    }
  if (n_erased_files != NULL)
    *n_erased_files = n;
  return TRUE;
}

/* --- recovery ---------------------------------------------------------- */

static gboolean
is_hex_name (const char *name,
             gsize       length)
{
  if (strlen (name) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (name[i]) || g_ascii_isupper (name[i]))
      return FALSE;
  return TRUE;
}

static guint
remove_stray_tmp_files (DermPhotoLibrary *self)
{
  g_autoptr (GDir) dir = g_dir_open (self->tmp_dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->tmp_dir, name, NULL);
      int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);

      if (fd < 0)
        continue;
      /* A lock we can take belongs to no running import */
      if (flock (fd, LOCK_EX | LOCK_NB) == 0 && g_unlink (path) == 0)
        n++;
      close (fd);
    }
  return n;
}

GPtrArray *
derm_photo_library_recover (DermPhotoLibrary  *self,
                            guint             *n_stray_removed,
                            GError           **error)
{
  g_autoptr (GHashTable) known = NULL;
  g_autoptr (GPtrArray) orphans = NULL;
  g_autoptr (GDir) top = NULL;
  const char *prefix;
  guint n_stray;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), NULL);

  n_stray = remove_stray_tmp_files (self);
  if (n_stray_removed != NULL)
    *n_stray_removed = n_stray;

  known = derm_store_dup_photo_hashes (self->store, error);
  if (known == NULL)
    return NULL;

  orphans = g_ptr_array_new_with_free_func (g_free);
  top = g_dir_open (self->photos_dir, 0, NULL);
  while (top != NULL && (prefix = g_dir_read_name (top)) != NULL)
    {
      g_autofree char *subdir = NULL;
      g_autoptr (GDir) dir = NULL;
      const char *name;

      if (!is_hex_name (prefix, 2))
        continue;
      subdir = g_build_filename (self->photos_dir, prefix, NULL);
      dir = g_dir_open (subdir, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          if (is_hex_name (name, 64) && g_str_has_prefix (name, prefix) &&
              !g_hash_table_contains (known, name))
            g_ptr_array_add (orphans, g_strdup (name));
        }
    }
  g_ptr_array_sort (orphans, compare_strings);
  return g_steal_pointer (&orphans);
}

static char *
hash_file (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (COPY_CHUNK);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      set_io_error (error, errno, _("Cannot read"), path);
      return NULL;
    }
  for (;;)
    {
      gssize n = read (fd, buffer, COPY_CHUNK);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_io_error (error, errno, _("Cannot read"), path);
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      g_checksum_update (checksum, buffer, (gsize) n);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return NULL;
        }
    }
  close (fd);
  return g_strdup (g_checksum_get_string (checksum));
}

char *
derm_photo_library_hash_file (const char    *path,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return hash_file (path, cancellable, error);
}

char *
derm_photo_library_store_bytes (DermPhotoLibrary  *self,
                                GBytes            *bytes,
                                char             **path_out,
                                GError           **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *final = NULL;
  TmpFile tmp = { -1, NULL };
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  if (!tmp_file_open (self, &tmp, error))
    return NULL;
  if (!write_all (tmp.fd, data, size) || fsync (tmp.fd) != 0)
    {
      int saved = errno;

      set_io_error (error, saved, _("Cannot save"), tmp.path);
      tmp_file_discard (&tmp);
      return NULL;
    }
  if (!place_original (self, &tmp, sha256, &final, error))
    {
      tmp_file_discard (&tmp);
      return NULL;
    }
  if (path_out != NULL)
    *path_out = g_steal_pointer (&final);
  return g_steal_pointer (&sha256);
}

DermPhoto *
derm_photo_library_adopt_orphan (DermPhotoLibrary              *self,
                                 const char                    *sha256,
                                 gint64                         client_id,
                                 const DermPhotoImportOptions  *options,
                                 GError                       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *name = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  DermImage *thumbnail = NULL;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), NULL);
  g_return_val_if_fail (sha256 != NULL && is_hex_name (sha256, 64), NULL);

  path = derm_photo_library_get_original_path (self, sha256);
  actual = hash_file (path, NULL, error);
  if (actual == NULL)
    return NULL;
  if (!g_str_equal (actual, sha256))
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_MISMATCH,
                   _("The file was damaged after it was stored; it cannot be added. Delete it and import the photo again from the camera."));
      return NULL;
    }

  if (!check_target (self, client_id, options, error))
    return NULL;
  photo = describe_file (self, path, sha256, &thumbnail, error);
  if (photo == NULL)
    return NULL;
  /* The original name was never recorded; the photo is known by its date */
  name = g_strdup_printf ("%.12s", sha256);
  derm_photo_set_original_name (photo, name);
  if (!file_photo (self, photo, client_id, options, error) ||
      !derm_store_add_photo (self->store, photo, path, error))
    {
      derm_image_free (thumbnail);
      return NULL;
    }
  save_thumbnail (self, photo, thumbnail);
  derm_image_free (thumbnail);
  return g_steal_pointer (&photo);
}

gboolean
derm_photo_library_delete_orphan (DermPhotoLibrary  *self,
                                  const char        *sha256,
                                  GError           **error)
{
  gboolean erased = FALSE;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), FALSE);
  g_return_val_if_fail (sha256 != NULL && is_hex_name (sha256, 64), FALSE);

  if (!erase_if_unreferenced (self, sha256, &erased, error))
    return FALSE;
  if (!erased)
    {
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_BUSY,
                   _("This file belongs to a photo now, so it was kept."));
      return FALSE;
    }
  return TRUE;
}

/* --- verify ------------------------------------------------------------ */

GPtrArray *
derm_photo_library_verify (DermPhotoLibrary  *self,
                           GCancellable      *cancellable,
                           guint             *n_checked,
                           GError           **error)
{
  g_autoptr (GPtrArray) photos = NULL;
  g_autoptr (GHashTable) by_hash = NULL;
  g_autoptr (GPtrArray) hashes = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  guint checked = 0;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), NULL);

  photos = derm_store_list_photos (self->store, 0, DERM_PHOTO_LIST_ALL, error);
  if (photos == NULL)
    return NULL;

  by_hash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < photos->len; i++)
    {
      DermPhoto *photo = g_ptr_array_index (photos, i);
      GArray *ids = g_hash_table_lookup (by_hash, derm_photo_get_sha256 (photo));
      gint64 id = derm_photo_get_id (photo);

      if (ids == NULL)
        {
          ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (by_hash, g_strdup (derm_photo_get_sha256 (photo)), ids);
        }
      g_array_append_val (ids, id);
    }

  hashes = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, by_hash);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (hashes, key);
  }
  g_ptr_array_sort (hashes, compare_strings);
  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) derm_photo_problem_free);

  for (guint i = 0; i < hashes->len; i++)
    {
      const char *sha256 = g_ptr_array_index (hashes, i);
      g_autofree char *path = derm_photo_library_get_original_path (self, sha256);
      g_autofree char *actual = NULL;
      DermPhotoProblem *problem;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      checked++;
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autoptr (GError) local_error = NULL;

          actual = hash_file (path, cancellable, &local_error);
          if (actual == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (actual != NULL && g_str_equal (actual, sha256))
            continue;
        }

      problem = g_new0 (DermPhotoProblem, 1);
      problem->kind = g_file_test (path, G_FILE_TEST_EXISTS) ? DERM_PHOTO_PROBLEM_MISMATCH
                                                             : DERM_PHOTO_PROBLEM_MISSING;
      problem->sha256 = g_strdup (sha256);
      problem->path = g_steal_pointer (&path);
      problem->photo_ids = g_array_ref (g_hash_table_lookup (by_hash, sha256));
      g_ptr_array_add (problems, problem);
    }

  if (n_checked != NULL)
    *n_checked = checked;
  return g_steal_pointer (&problems);
}

/* --- export ------------------------------------------------------------ */

gboolean
derm_photo_library_export (DermPhotoLibrary  *self,
                           DermPhoto         *photo,
                           const char        *dest,
                           gboolean           overwrite,
                           GError           **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), FALSE);
  g_return_val_if_fail (DERM_IS_PHOTO (photo), FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);

  path = derm_photo_library_get_original_path (self, derm_photo_get_sha256 (photo));
  return derm_photo_export_without_location (path, dest, derm_store_get_data_dir (self->store),
                                             overwrite, error);
}

/* --- erasing a client ---------------------------------------------------- */

gboolean
derm_photo_library_erase_client (DermPhotoLibrary  *self,
                                 gint64             client_id,
                                 guint             *n_erased_files,
                                 GError           **error)
{
  g_autoptr (GPtrArray) unreferenced = NULL;
  guint n = 0;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (self), FALSE);

  unreferenced = derm_store_erase_client (self->store, client_id, error);
  if (unreferenced == NULL)
    return FALSE;
  for (guint i = 0; i < unreferenced->len; i++)
    {
      gboolean erased = FALSE;

      if (!erase_if_unreferenced (self, g_ptr_array_index (unreferenced, i), &erased, error))
        return FALSE;
      n += erased ? 1 : 0;
    }
  if (n_erased_files != NULL)
    *n_erased_files = n;
  return TRUE;
}
