/* derm-thumbnailer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-thumbnailer"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "derm-photo-decode.h"
#include "derm-imaging-error.h"
#include "derm-photo.h"
#include "derm-thumbnailer.h"

struct _DermThumbnailer
{
  GObject  parent_instance;

  char    *cache_dir;
};

G_DEFINE_FINAL_TYPE (DermThumbnailer, derm_thumbnailer, G_TYPE_OBJECT)

static void
derm_thumbnailer_finalize (GObject *object)
{
  DermThumbnailer *self = DERM_THUMBNAILER (object);

  g_clear_pointer (&self->cache_dir, g_free);

  G_OBJECT_CLASS (derm_thumbnailer_parent_class)->finalize (object);
}

static void
derm_thumbnailer_class_init (DermThumbnailerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = derm_thumbnailer_finalize;
}

static void
derm_thumbnailer_init (DermThumbnailer *self)
{
}

DermThumbnailer *
derm_thumbnailer_new (const char *cache_dir)
{
  DermThumbnailer *self = g_object_new (DERM_TYPE_THUMBNAILER, NULL);

  if (cache_dir != NULL)
    self->cache_dir = g_strdup (cache_dir);
  else
    self->cache_dir = g_build_filename (g_get_user_cache_dir (), "dermis", "thumbnails", NULL);
  return self;
}

const char *
derm_thumbnailer_get_cache_dir (DermThumbnailer *self)
{
  g_return_val_if_fail (DERM_IS_THUMBNAILER (self), NULL);
  return self->cache_dir;
}

char *
derm_thumbnailer_get_path (DermThumbnailer *self,
                           const char      *sha256,
                           int              size)
{
  g_autofree char *size_dir = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (DERM_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  size_dir = g_strdup_printf ("%d", size);
  name = g_strconcat (sha256, ".png", NULL);
  return g_build_filename (self->cache_dir, size_dir, name, NULL);
}

gboolean
derm_thumbnailer_save (DermThumbnailer  *self,
                       const char       *sha256,
                       int               size,
                       const DermImage  *image,
                       GError          **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  DermError err = { 0 };
  int fd;

  g_return_val_if_fail (DERM_IS_THUMBNAILER (self), FALSE);
  g_return_val_if_fail (image != NULL, FALSE);

  path = derm_thumbnailer_get_path (self, sha256, size);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                   _("Cannot create the thumbnail folder %s: %s."), dir, g_strerror (saved));
      return FALSE;
    }

  /* Written beside its final name and renamed, so a reader never sees a
   * half-written thumbnail; the random suffix is not .jpg, so it is PNG */
  tmp = g_strconcat (path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                   _("Cannot write a thumbnail in %s: %s."), dir, g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);

  if (derm_image_save (image, tmp, 0, &err) != DERM_STATUS_OK)
    {
      g_autofree char *message = derm_imaging_error_message (&err);

      g_unlink (tmp);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                   _("Cannot write a thumbnail: %s"), message);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_IO,
                   _("Cannot write a thumbnail in %s: %s."), dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_cached (const char *path)
{
  GStatBuf st;

  /* An empty file is what a crash can leave of an unsynced write */
  return g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0;
}

char *
derm_thumbnailer_ensure (DermThumbnailer  *self,
                         const char       *sha256,
                         const char       *original_path,
                         const char       *mime_type,
                         int               size,
                         GError          **error)
{
  g_autofree char *path = NULL;
  DermImage *image;

  g_return_val_if_fail (DERM_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (sha256 != NULL && original_path != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  path = derm_thumbnailer_get_path (self, sha256, size);
  if (is_cached (path))
    return g_steal_pointer (&path);

  image = derm_photo_decode_file (original_path, derm_photo_format_from_mime (mime_type),
                                  size, NULL, NULL, error);
  if (image == NULL)
    return NULL;
  if (!derm_thumbnailer_save (self, sha256, size, image, error))
    {
      derm_image_free (image);
      return NULL;
    }
  derm_image_free (image);
  return g_steal_pointer (&path);
}

typedef struct
{
  char *sha256;
  char *original_path;
  char *mime_type;
  int   size;
} EnsureData;

static void
ensure_data_free (gpointer data)
{
  EnsureData *ed = data;

  g_free (ed->sha256);
  g_free (ed->original_path);
  g_free (ed->mime_type);
  g_free (ed);
}

static void
ensure_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  EnsureData *ed = task_data;
  GError *error = NULL;
  char *path;

  if (g_task_return_error_if_cancelled (task))
    return;
  path = derm_thumbnailer_ensure (source_object, ed->sha256, ed->original_path,
                                  ed->mime_type, ed->size, &error);
  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

void
derm_thumbnailer_ensure_async (DermThumbnailer     *self,
                               const char          *sha256,
                               const char          *original_path,
                               const char          *mime_type,
                               int                  size,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  EnsureData *ed;

  g_return_if_fail (DERM_IS_THUMBNAILER (self));

  ed = g_new0 (EnsureData, 1);
  ed->sha256 = g_strdup (sha256);
  ed->original_path = g_strdup (original_path);
  ed->mime_type = g_strdup (mime_type);
  ed->size = size;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, derm_thumbnailer_ensure_async);
  g_task_set_task_data (task, ed, ensure_data_free);
  g_task_run_in_thread (task, ensure_thread);
}

char *
derm_thumbnailer_ensure_finish (DermThumbnailer  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
derm_thumbnailer_forget (DermThumbnailer *self,
                         const char      *sha256)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  g_return_if_fail (DERM_IS_THUMBNAILER (self));

  dir = g_dir_open (self->cache_dir, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *size_dir = g_build_filename (self->cache_dir, name, NULL);
      g_autofree char *prefix = g_strconcat (sha256, ".png", NULL);
      g_autoptr (GDir) sub = g_dir_open (size_dir, 0, NULL);
      const char *file;

      /* The thumbnail and any partial one a killed writer left
       * ("<sha256>.png.XXXXXX") */
      while (sub != NULL && (file = g_dir_read_name (sub)) != NULL)
        if (g_str_has_prefix (file, prefix))
          {
            g_autofree char *path = g_build_filename (size_dir, file, NULL);

            g_unlink (path);
          }
    }
}
