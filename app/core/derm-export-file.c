/* derm-export-file.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "derm-export-file.h"

G_DEFINE_QUARK (derm-export-error-quark, derm_export_error)

struct _DermExportFile
{
  char     *dest;
  char     *temp_path;
  gboolean  overwrite;
  mode_t    mode;        /* what the umask gives a new file */
};

static char *
default_data_dir (void)
{
  const char *env = g_getenv ("DERMIS_DATA_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "dermis", NULL);
}

/* The real path of @path, resolving the longest existing prefix, so a
 * file that does not exist yet is placed where it would be created */
static char *
resolve (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *head = g_strdup (absolute);
  g_autoptr (GString) tail = g_string_new (NULL);

  for (;;)
    {
      char *real = realpath (head, NULL);

      if (real != NULL)
        {
          char *result = g_strconcat (real, tail->str, NULL);
          free (real);
          return result;
        }
      if (g_str_equal (head, "/"))
        return g_strdup (absolute);
      {
        g_autofree char *base = g_path_get_basename (head);
        g_autofree char *dir = g_path_get_dirname (head);

        g_string_prepend (tail, base);
        g_string_prepend_c (tail, '/');
        g_free (head);
        head = g_steal_pointer (&dir);
      }
    }
}

gboolean
derm_path_is_inside (const char *path,
                     const char *data_dir)
{
  g_autofree char *real_path = resolve (path);
  g_autofree char *real_dir = resolve (data_dir);
  gsize n = strlen (real_dir);

  return strncmp (real_path, real_dir, n) == 0 &&
         (real_path[n] == '/' || real_path[n] == '\0' || g_str_equal (real_dir, "/"));
}

void
derm_export_file_abort (DermExportFile *self)
{
  if (self == NULL)
    return;
  if (self->temp_path != NULL)
    g_unlink (self->temp_path);
  g_free (self->temp_path);
  g_free (self->dest);
  g_free (self);
}

DermExportFile *
derm_export_file_begin (const char  *dest,
                        const char  *data_dir,
                        gboolean     overwrite,
                        GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *own_data_dir = NULL;
  g_autoptr (DermExportFile) self = NULL;
  struct stat st;
  int fd = -1;

  g_return_val_if_fail (dest != NULL, NULL);

  if (data_dir == NULL)
    data_dir = own_data_dir = default_data_dir ();

  base = g_path_get_basename (dest);
  dir = g_path_get_dirname (dest);
  if (*dest == '\0' || g_str_has_suffix (dest, "/") || g_file_test (dest, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_INVALID,
                   _("%s is a folder. Give the name of the file to write."), dest);
      return NULL;
    }
  if (derm_path_is_inside (dest, data_dir))
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IN_DATA_DIR,
                   _("%s is inside the Dermis data folder %s, which holds the records and originals. Export to another folder."),
                   dest, data_dir);
      return NULL;
    }
  /* Not even on purpose: replacing a link would not write where it
   * points, and a device, pipe or socket is no file to replace */
  if (g_lstat (dest, (GStatBuf *) &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_INVALID,
                   S_ISLNK (st.st_mode) ? _("%s is a symbolic link. Give the name of a new file or of a regular file to replace.")
                                        : _("%s is not a regular file. Give the name of a new file or of a regular file to replace."),
                   dest);
      return NULL;
    }
  if (!overwrite && g_lstat (dest, (GStatBuf *) &st) == 0)
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_EXISTS,
                   _("%s already exists. Choose another name, or replace it on purpose (--force)."), dest);
      return NULL;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_INVALID,
                   _("The folder %s does not exist. Create it or choose another one."), dir);
      return NULL;
    }

  self = g_new0 (DermExportFile, 1);
  self->dest = g_strdup (dest);
  self->overwrite = overwrite;

  /* Hidden, unique, in the destination folder (so the rename is atomic
   * and a half-written file never carries the name asked for), ending
   * with the destination's name so its extension still says the format */
  for (guint attempt = 0; attempt < 100 && fd < 0; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".dermis-%08x-%s", g_random_int (), base);

      g_free (self->temp_path);
      self->temp_path = g_build_filename (dir, name, NULL);
      fd = g_open (self->temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
      if (fd < 0 && errno != EEXIST)
        break;
    }
  if (fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&self->temp_path, g_free);
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IO,
                   _("Cannot write in %s: %s."), dir, g_strerror (saved));
      return NULL;
    }

  /* The umask decided the mode; writers (exiv2) may need to reopen the
   * file, so keep it writable for us until the commit */
  if (fstat (fd, &st) == 0)
    self->mode = st.st_mode & 07777;
  else
    self->mode = 0600;
  fchmod (fd, self->mode | 0600);
  close (fd);

  return g_steal_pointer (&self);
}

const char *
derm_export_file_get_temp_path (DermExportFile *self)
{
  return self->temp_path;
}

static gboolean
sync_path (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);
  return ok;
}

gboolean
derm_export_file_commit (DermExportFile  *self,
                         GError         **error)
{
  g_autoptr (DermExportFile) owned = self;
  g_autofree char *dir = g_path_get_dirname (self->dest);
  int saved = 0;

  if (g_chmod (self->temp_path, self->mode) != 0 || !sync_path (self->temp_path))
    saved = errno ? errno : EIO;
  else if (self->overwrite)
    {
      if (g_rename (self->temp_path, self->dest) != 0)
        saved = errno;
    }
  else if (link (self->temp_path, self->dest) == 0)
    g_unlink (self->temp_path);
  else if (errno == EEXIST)
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_EXISTS,
                   _("%s already exists. Choose another name, or replace it on purpose (--force)."),
                   self->dest);
      return FALSE;
    }
  else
    {
      /* A file system without hard links: check, then rename */
      struct stat st;

      if (g_lstat (self->dest, (GStatBuf *) &st) == 0)
        {
          g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_EXISTS,
                       _("%s already exists. Choose another name, or replace it on purpose (--force)."),
                       self->dest);
          return FALSE;
        }
      if (g_rename (self->temp_path, self->dest) != 0)
        saved = errno;
    }

  if (saved != 0)
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IO,
                   _("Could not write %s: %s."), self->dest, g_strerror (saved));
      return FALSE;
    }

  g_clear_pointer (&self->temp_path, g_free);
  sync_path (dir);
  return TRUE;
}

gboolean
derm_export_file_finish (DermExportFile  *self,
                         const void      *data,
                         gsize            length,
                         GError         **error)
{
  g_autoptr (DermExportFile) owned = self;
  g_autoptr (GError) local_error = NULL;

  if (!g_file_set_contents_full (self->temp_path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_NONE, 0600, &local_error))
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IO,
                   _("Could not write %s: %s"), self->dest, local_error->message);
      return FALSE;
    }
  return derm_export_file_commit (g_steal_pointer (&owned), error);
}

gboolean
derm_export_file_write (const char  *dest,
                        const char  *data_dir,
                        gboolean     overwrite,
                        const void  *data,
                        gsize        length,
                        GError     **error)
{
  DermExportFile *file = derm_export_file_begin (dest, data_dir, overwrite, error);

  return file != NULL && derm_export_file_finish (file, data, length, error);
}
