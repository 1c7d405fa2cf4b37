/* derm-backup.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speed comes from copying each original once (content addressing), by
 * reflink where the file system shares blocks (btrfs, XFS), else with
 * copy_file_range; from copying on two threads (or as many as there are
 * processors, up to four) while a third starts the write-back of each
 * copied file (sync_file_range, which may wait for the disk's queue, so
 * it never runs on a copying thread): the disk writes while the next
 * files are copied, instead of after all of them. When every file is
 * copied, each one's data is waited for and the file fsync'd (by then
 * most of it is on disk, and the file system commits the metadata of
 * many files in one journal transaction), then renamed to its final
 * name, then each folder that gained a name is fsync'd. Only our own
 * files and folders are synced, never the whole file system (syncfs
 * also waited for whatever else was writing to the disk). The snapshot
 * is renamed into place only after all that, so "complete" always means
 * "on disk".
 */
#define G_LOG_DOMAIN "derm-backup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "derm-backup.h"
#include "derm-export-file.h"
#include "derm-store-backup.h"

G_DEFINE_QUARK (derm-backup-error-quark, derm_backup_error)

#define MANIFEST_NAME "MANIFEST"
#define MANIFEST_MAGIC "dermis-backup 1"
#define DB_NAME "dermis.db"
#define TMP_PREFIX ".tmp-"

void
derm_backup_report_clear (DermBackupReport *report)
{
  g_clear_pointer (&report->snapshot, g_free);
  memset (report, 0, sizeof *report);
}

static gboolean
io_error (GError    **error,
          const char *what,
          const char *path,
          int         saved)
{
  g_set_error (error, DERM_BACKUP_ERROR, DERM_BACKUP_ERROR_IO,
               "%s %s: %s.", what, path, g_strerror (saved));
  return FALSE;
}

static gboolean
is_sha256 (const char *name)
{
  if (strlen (name) != 64)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static char *
photo_path (const char *root,
            const char *sha256)
{
  char prefix[3] = { sha256[0], sha256[1], '\0' };

  return g_build_filename (root, "photos", prefix, sha256, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static gboolean
fsync_path (const char  *path,
            gboolean     is_dir,
            GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | (is_dir ? O_DIRECTORY : O_NOFOLLOW), 0);
  int saved;

  if (fd < 0)
    return io_error (error, _("Cannot write to the disk"), path, errno);
  if (fsync (fd) == 0)
    {
      close (fd);
      return TRUE;
    }
  saved = errno;
  close (fd);
  /* Some network file systems do not sync folders; their files are synced */
  if (is_dir && (saved == EINVAL || saved == ENOTSUP))
    return TRUE;
  return io_error (error, _("Cannot write to the disk"), path, saved);
}

/* Files written and folders that gained names, synced together at the
 * end (see the top of the file) */
typedef struct
{
  GPtrArray  *files;   /* written under a temporary name: (char *) pairs temp, final */
  GHashTable *dirs;    /* folders to fsync last */
} Batch;

static void
batch_init (Batch *b)
{
  b->files = g_ptr_array_new_with_free_func (g_free);
  b->dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
batch_clear (Batch *b)
{
  /* Temporary files not renamed yet: an aborted run leaves none */
  for (guint i = 0; b->files != NULL && i < b->files->len; i += 2)
    g_unlink (g_ptr_array_index (b->files, i));
  g_clear_pointer (&b->files, g_ptr_array_unref);
  g_clear_pointer (&b->dirs, g_hash_table_unref);
}

static void
batch_add_dir (Batch      *b,
               const char *dir)
{
  g_hash_table_add (b->dirs, g_strdup (dir));
}

/* @temp is renamed to @final (NULL: stays) once it is on disk */
static void
batch_add_file (Batch      *b,
                const char *temp,
                const char *final)
{
  g_autofree char *dir = g_path_get_dirname (final != NULL ? final : temp);

  g_ptr_array_add (b->files, g_strdup (temp));
  g_ptr_array_add (b->files, g_strdup (final));
  batch_add_dir (b, dir);
}

typedef struct
{
  gboolean  is_dir;
  GMutex    mutex;
  GError   *error;
} SyncJob;

static void
sync_one (gpointer data,
          gpointer user_data)
{
  SyncJob *job = user_data;
  GError *error = NULL;

  if (!fsync_path (data, job->is_dir, &error))
    {
      g_mutex_lock (&job->mutex);
      if (job->error == NULL)
        job->error = g_steal_pointer (&error);
      g_mutex_unlock (&job->mutex);
      g_clear_error (&error);
    }
}

/* fsyncs every path in @paths, several at a time: each fsync ends with a
 * flush of the disk's cache, and the block layer merges the flushes of
 * fsyncs that wait together (measured: 2,000 files one by one took 6 to
 * 8 s on the CI machine's disk, most of it in those flushes) */
static gboolean
fsync_all (GPtrArray  *paths,
           guint       step,
           gboolean    is_dir,
           GError    **error)
{
  SyncJob job = { is_dir, { 0 }, NULL };
  GThreadPool *pool;

  g_mutex_init (&job.mutex);
  pool = g_thread_pool_new (sync_one, &job, 16, FALSE, NULL);
  for (guint i = 0; i < paths->len; i += step)
    g_thread_pool_push (pool, g_ptr_array_index (paths, i), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&job.mutex);
  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return FALSE;
    }
  return TRUE;
}

/* Every file on disk, then renamed, then every folder on disk */
static gboolean
batch_commit (Batch   *b,
              GError **error)
{
  g_autoptr (GPtrArray) dirs = NULL;

  /* Start the write-back of every file without waiting, then wait for
   * the data of each, then fsync each. Measured: starting it file by
   * file while copying made the copy wait for the disk, and fsync alone
   * wrote and committed the journal one file at a time. This way the
   * first fsync commits the metadata of all of them in one journal
   * transaction and the others find their work done. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < b->files->len; i += 2)
      {
        int fd = g_open (g_ptr_array_index (b->files, i), O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);

        if (fd >= 0)
          {
            sync_file_range (fd, 0, 0, pass == 0 ? SYNC_FILE_RANGE_WRITE
                                                 : SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                                                   SYNC_FILE_RANGE_WAIT_AFTER);
            close (fd);
          }
      }
  g_debug ("data written");
  if (!fsync_all (b->files, 2, FALSE, error))
    return FALSE;
  g_debug ("files synced");
  for (guint i = 0; i < b->files->len; i += 2)
    {
      const char *temp = g_ptr_array_index (b->files, i);
      const char *final = g_ptr_array_index (b->files, i + 1);

      if (final != NULL && g_rename (temp, final) != 0)
        return io_error (error, _("Cannot write"), final, errno);
    }
  g_ptr_array_set_size (b->files, 0);
  g_debug ("files renamed");
  {
    GHashTableIter iter;
    gpointer dir;

    dirs = g_ptr_array_new ();
    g_hash_table_iter_init (&iter, b->dirs);
    while (g_hash_table_iter_next (&iter, &dir, NULL))
      g_ptr_array_add (dirs, dir);
  }
  if (!fsync_all (dirs, 1, TRUE, error))
    return FALSE;
  g_hash_table_remove_all (b->dirs);
  return TRUE;
}

static gboolean
ensure_dir (const char  *path,
            Batch       *batch,
            GError     **error)
{
  g_autofree char *parent = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  parent = g_path_get_dirname (path);
  if (!g_str_equal (parent, path) && !ensure_dir (parent, batch, error))
    return FALSE;
  if (g_mkdir (path, 0700) != 0 && (errno != EEXIST || !g_file_test (path, G_FILE_TEST_IS_DIR)))
    return io_error (error, _("Cannot create the folder"), path, errno);
  /* A new name in @parent; @path itself gains names too */
  if (batch != NULL)
    batch_add_dir (batch, parent);
  return TRUE;
}

static void
sync_dir (const char *path)
{
  fsync_path (path, TRUE, NULL);
}

/* Copies @src to a new file @dest (mode @mode); the caller syncs it
 * later with the others (batch_commit) */
static gboolean
copy_file (const char  *src,
           const char  *dest,
           mode_t       mode,
           guint64     *copied,
           GError     **error)
{
  int in = g_open (src, O_RDONLY | O_CLOEXEC, 0);
  int out = -1;
  gboolean ok = FALSE;
  gboolean use_range = TRUE;
  g_autofree char *buffer = NULL;
  struct stat st;

  if (in < 0)
    return io_error (error, _("Cannot read"), src, errno);
  out = g_open (dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (out < 0)
    {
      io_error (error, _("Cannot write"), dest, errno);
      close (in);
      return FALSE;
    }

  /* The same blocks, shared, where the file system can (btrfs, XFS):
   * no data to write at all */
  if (ioctl (out, FICLONE, in) == 0 && fstat (out, &st) == 0)
    {
      if (copied != NULL)
        *copied += (guint64) st.st_size;
      ok = TRUE;
    }

  while (!ok)
    {
      ssize_t n;

      if (use_range)
        {
          n = copy_file_range (in, NULL, out, NULL, 1 << 30, 0);
          if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
                        errno == EOPNOTSUPP || errno == EBADF))
            {
              use_range = FALSE;
              continue;
            }
        }
      else
        {
          ssize_t done = 0;

          if (buffer == NULL)
            buffer = g_malloc (1 << 20);
          n = read (in, buffer, 1 << 20);
          while (n > 0 && done < n)
            {
              ssize_t w = write (out, buffer + done, (size_t) (n - done));

              if (w < 0)
                {
                  if (errno == EINTR)
                    continue;
                  n = -1;
                  break;
                }
              done += w;
            }
        }
      if (n == 0)
        {
          ok = TRUE;
          break;
        }
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          io_error (error, _("Cannot copy to"), dest, errno);
          break;
        }
      if (copied != NULL)
        *copied += (guint64) n;
    }

  close (in);
  if (close (out) != 0 && ok)
    ok = io_error (error, _("Cannot write"), dest, errno);
  if (!ok)
    g_unlink (dest);
  return ok;
}

/* --- copying the originals ---------------------------------------------- */

typedef struct
{
  char *src;
  char *part;   /* the temporary name the copy is written under */
} CopyJob;

static void
copy_job_free (CopyJob *job)
{
  g_free (job->src);
  g_free (job->part);
  g_free (job);
}

typedef struct
{
  GThreadPool  *copiers;
  GThreadPool  *writeback;
  GCancellable *cancellable;
  GMutex        mutex;
  GError       *error;     /* the first failure; later jobs are skipped */
  guint64       bytes;
} Copier;

/* Starts writing a copied file's data to the disk, without waiting */
static void
start_writeback (gpointer data,
                 gpointer user_data)
{
  g_autofree char *path = data;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);

  if (fd >= 0)
    {
      sync_file_range (fd, 0, 0, SYNC_FILE_RANGE_WRITE);
      close (fd);
    }
}

static void
copy_one (gpointer data,
          gpointer user_data)
{
  CopyJob *job = data;
  Copier *c = user_data;
  GError *error = NULL;
  guint64 bytes = 0;
  gboolean failed;

  g_mutex_lock (&c->mutex);
  failed = c->error != NULL;
  g_mutex_unlock (&c->mutex);
  if (!failed && !g_cancellable_set_error_if_cancelled (c->cancellable, &error) &&
      copy_file (job->src, job->part, 0400, &bytes, &error))
    g_thread_pool_push (c->writeback, g_strdup (job->part), NULL);

  g_mutex_lock (&c->mutex);
  c->bytes += bytes;
  if (error != NULL && c->error == NULL)
    c->error = g_steal_pointer (&error);
  g_mutex_unlock (&c->mutex);
  g_clear_error (&error);
  copy_job_free (job);
}

static void
copier_init (Copier       *c,
             GCancellable *cancellable)
{
  memset (c, 0, sizeof *c);
  g_mutex_init (&c->mutex);
  c->cancellable = cancellable;
  c->writeback = g_thread_pool_new (start_writeback, NULL, 1, FALSE, NULL);
  c->copiers = g_thread_pool_new (copy_one, c, CLAMP (g_get_num_processors (), 2, 4), FALSE, NULL);
}

/* Copies @src to @part on one of the copying threads */
static void
copier_push (Copier     *c,
             const char *src,
             const char *part)
{
  CopyJob *job = g_new0 (CopyJob, 1);

  job->src = g_strdup (src);
  job->part = g_strdup (part);
  g_thread_pool_push (c->copiers, job, NULL);
}

/* Waits for every copy and write-back started; FALSE with the first
 * error when a copy failed or was cancelled */
static gboolean
copier_finish (Copier   *c,
               guint64  *bytes,
               GError  **error)
{
  g_thread_pool_free (c->copiers, FALSE, TRUE);
  g_thread_pool_free (c->writeback, FALSE, TRUE);
  g_mutex_clear (&c->mutex);
  *bytes += c->bytes;
  if (c->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&c->error));
      return FALSE;
    }
  return TRUE;
}

static char *
hash_file (const char  *path,
           guint64     *size,
           GError     **error)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (1 << 20);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  guint64 total = 0;
  ssize_t n;

  if (fd < 0)
    {
      io_error (error, _("Cannot read"), path, errno);
      return NULL;
    }
  while ((n = read (fd, buffer, 1 << 20)) != 0)
    {
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          io_error (error, _("Cannot read"), path, errno);
          close (fd);
          return NULL;
        }
      g_checksum_update (checksum, buffer, n);
      total += (guint64) n;
    }
  close (fd);
  if (size != NULL)
    *size = total;
  return g_strdup (g_checksum_get_string (checksum));
}

/* --- manifests ----------------------------------------------------------- */

typedef struct
{
  char    *created;
  char    *db_sha256;
  guint64  db_size;
  GPtrArray *photo_sha256;   /* char * */
  GArray    *photo_size;     /* guint64 */
} Manifest;

static void
manifest_free (Manifest *m)
{
  g_free (m->created);
  g_free (m->db_sha256);
  g_clear_pointer (&m->photo_sha256, g_ptr_array_unref);
  g_clear_pointer (&m->photo_size, g_array_unref);
  g_free (m);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Manifest, manifest_free)

static gboolean
damaged (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
damaged (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, DERM_BACKUP_ERROR, DERM_BACKUP_ERROR_DAMAGED, text);
  return FALSE;
}

/* The manifest of the snapshot folder @dir, checked against its own
 * closing checksum: a manifest cut short or edited is refused */
static Manifest *
read_manifest (const char  *dir,
               GError     **error)
{
  g_autofree char *path = g_build_filename (dir, MANIFEST_NAME, NULL);
  g_autofree char *text = NULL;
  g_autoptr (Manifest) m = g_new0 (Manifest, 1);
  g_auto (GStrv) lines = NULL;
  const char *end;
  gsize len = 0;
  guint n;

  if (!g_file_get_contents (path, &text, &len, NULL))
    {
      damaged (error, _("The backup %s has no manifest."), dir);
      return NULL;
    }
  end = g_strrstr (text, "\nend ");
  if (end == NULL)
    {
      damaged (error, _("The manifest of %s is incomplete."), dir);
      return NULL;
    }
  {
    g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text,
                                                        (gsize) (end + 1 - text));
    g_autofree char *expected = g_strdup_printf ("end %s\n", sum);

    if (!g_str_equal (end + 1, expected))
      {
        damaged (error, _("The manifest of %s is damaged."), dir);
        return NULL;
      }
  }

  m->photo_sha256 = g_ptr_array_new_with_free_func (g_free);
  m->photo_size = g_array_new (FALSE, FALSE, sizeof (guint64));
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  if (n < 3 || !g_str_equal (lines[0], MANIFEST_MAGIC))
    {
      damaged (error, _("The manifest of %s is not one Dermis understands."), dir);
      return NULL;
    }
  for (guint i = 1; i < n; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], " ", 4);
      guint nf = g_strv_length (f);
      guint64 size;

      if (nf == 0 || g_str_equal (f[0], "end"))
        break;
      if (g_str_equal (f[0], "created") && nf == 2)
        m->created = g_strdup (f[1]);
      else if (g_str_equal (f[0], "database") && nf == 4 && is_sha256 (f[1]) &&
               g_ascii_string_to_unsigned (f[2], 10, 0, G_MAXUINT64, &size, NULL))
        {
          m->db_sha256 = g_strdup (f[1]);
          m->db_size = size;
        }
      else if (g_str_equal (f[0], "photo") && nf == 3 && is_sha256 (f[1]) &&
               g_ascii_string_to_unsigned (f[2], 10, 0, G_MAXUINT64, &size, NULL))
        {
          g_ptr_array_add (m->photo_sha256, g_strdup (f[1]));
          g_array_append_val (m->photo_size, size);
        }
      else
        {
          damaged (error, _("The manifest of %s has a line Dermis does not understand."), dir);
          return NULL;
        }
    }
  if (m->db_sha256 == NULL)
    {
      damaged (error, _("The manifest of %s lists no database."), dir);
      return NULL;
    }
  return g_steal_pointer (&m);
}

static gboolean
write_manifest (const char  *dir,
                const char  *created,
                const char  *db_sha256,
                guint64      db_size,
                GPtrArray   *hashes,
                GArray      *sizes,
                GError     **error)
{
  g_autofree char *path = g_build_filename (dir, MANIFEST_NAME, NULL);
  g_autoptr (GString) text = g_string_new (MANIFEST_MAGIC "\n");
  g_autofree char *sum = NULL;
  g_autoptr (GError) local_error = NULL;

  g_string_append_printf (text, "created %s\n", created);
  g_string_append_printf (text, "database %s %" G_GUINT64_FORMAT " " DB_NAME "\n", db_sha256, db_size);
  for (guint i = 0; i < hashes->len; i++)
    g_string_append_printf (text, "photo %s %" G_GUINT64_FORMAT "\n",
                            (char *) g_ptr_array_index (hashes, i), g_array_index (sizes, guint64, i));
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text->str, text->len);
  g_string_append_printf (text, "end %s\n", sum);

  if (!g_file_set_contents_full (path, text->str, (gssize) text->len,
                                 G_FILE_SET_CONTENTS_NONE, 0600, &local_error))
    {
      g_set_error (error, DERM_BACKUP_ERROR, DERM_BACKUP_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* --- listing ------------------------------------------------------------- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

GPtrArray *
derm_backup_list_snapshots (const char *dest)
{
  g_autofree char *dir_path = g_build_filename (dest, "snapshots", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *manifest = g_build_filename (dir_path, name, MANIFEST_NAME, NULL);

      if (name[0] != '.' && g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

GDateTime *
derm_backup_last_time (const char *dest)
{
  g_autoptr (GPtrArray) names = derm_backup_list_snapshots (dest);
  int y, mo, d, h, mi, s;

  if (names->len == 0)
    return NULL;
  if (sscanf (g_ptr_array_index (names, names->len - 1), "%4d%2d%2dT%2d%2d%2dZ",
              &y, &mo, &d, &h, &mi, &s) != 6)
    return NULL;
  return g_date_time_new_utc (y, mo, d, h, mi, s);
}

static void
last_time_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *dest = task_data;

  if (!g_file_test (dest, G_FILE_TEST_IS_DIR))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("The backup folder %s is not there."), dest);
  else
    g_task_return_pointer (task, derm_backup_last_time (dest), (GDestroyNotify) g_date_time_unref);
}

void
derm_backup_last_time_async (const char          *dest,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (dest != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, derm_backup_last_time_async);
  g_task_set_task_data (task, g_strdup (dest), g_free);
  g_task_run_in_thread (task, last_time_thread);
}

GDateTime *
derm_backup_last_time_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- create -------------------------------------------------------------- */

static int
lock_dest (const char  *dest,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dest, ".dermis-backup.lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      io_error (error, _("Cannot write in the backup folder"), dest, errno);
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, DERM_BACKUP_ERROR, DERM_BACKUP_ERROR_BUSY,
                   _("Another backup is writing to %s. Try again when it has finished."), dest);
      return -1;
    }
  return fd;
}

/* What an interrupted backup left: snapshot folders and originals
 * under temporary names */
static guint
clear_leftovers (const char *dest)
{
  g_autofree char *snapshots = g_build_filename (dest, "snapshots", NULL);
  g_autofree char *photos = g_build_filename (dest, "photos", NULL);
  g_autoptr (GDir) dir = g_dir_open (snapshots, 0, NULL);
  g_autoptr (GDir) pdir = g_dir_open (photos, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, TMP_PREFIX))
      {
        g_autofree char *path = g_build_filename (snapshots, name, NULL);

        remove_tree (path);
        n++;
      }
  while (pdir != NULL && (name = g_dir_read_name (pdir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (photos, name, NULL);
      g_autoptr (GDir) sdir = g_dir_open (sub, 0, NULL);
      const char *file;

      while (sdir != NULL && (file = g_dir_read_name (sdir)) != NULL)
        if (g_str_has_prefix (file, TMP_PREFIX))
          {
            g_autofree char *path = g_build_filename (sub, file, NULL);

            g_unlink (path);
          }
    }
  return n;
}

/* The time, made later than every snapshot there (two backups in one
 * second, a clock set back): names sort in the order they were taken */
static char *
new_snapshot_name (const char *dest,
                   const char *snapshots)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *base = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autoptr (GPtrArray) names = derm_backup_list_snapshots (dest);
  const char *newest = names->len > 0 ? g_ptr_array_index (names, names->len - 1) : "";
  char *name = g_strdup (base);

  if (strcmp (base, newest) <= 0)
    {
      g_free (base);
      base = g_strdup (newest);
    }
  for (guint i = 1; ; i++)
    {
      g_autofree char *path = g_build_filename (snapshots, name, NULL);
      g_autofree char *tmp_name = g_strconcat (TMP_PREFIX, name, NULL);
      g_autofree char *tmp_path = g_build_filename (snapshots, tmp_name, NULL);

      if (strcmp (name, newest) > 0 && !g_file_test (path, G_FILE_TEST_EXISTS) &&
          !g_file_test (tmp_path, G_FILE_TEST_EXISTS))
        return name;
      g_free (name);
      name = g_strdup_printf ("%s-%03u", base, i);
    }
}

/* Removes the oldest complete snapshots beyond @keep, then the originals
 * no remaining snapshot lists. A snapshot is first renamed to a
 * temporary name, so a kill in between never leaves half of one that
 * still looks complete. */
static void
prune (const char       *dest,
       guint             keep,
       DermBackupReport *report)
{
  g_autoptr (GPtrArray) names = derm_backup_list_snapshots (dest);
  g_autofree char *snapshots = g_build_filename (dest, "snapshots", NULL);
  g_autofree char *photos = g_build_filename (dest, "photos", NULL);
  g_autoptr (GHashTable) referenced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GDir) pdir = NULL;
  const char *name;

  while (names->len > keep)
    {
      g_autofree char *path = g_build_filename (snapshots, g_ptr_array_index (names, 0), NULL);
      g_autofree char *doomed_name = g_strconcat (TMP_PREFIX "old-", (char *) g_ptr_array_index (names, 0), NULL);
      g_autofree char *doomed = g_build_filename (snapshots, doomed_name, NULL);

      if (g_rename (path, doomed) != 0)
        break;
      remove_tree (doomed);
      g_ptr_array_remove_index (names, 0);
      report->n_removed++;
    }
  sync_dir (snapshots);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *dir = g_build_filename (snapshots, g_ptr_array_index (names, i), NULL);
      g_autoptr (Manifest) m = read_manifest (dir, NULL);

      /* An unreadable manifest: keep every original, to be safe */
      if (m == NULL)
        return;
      for (guint k = 0; k < m->photo_sha256->len; k++)
        g_hash_table_add (referenced, g_strdup (g_ptr_array_index (m->photo_sha256, k)));
    }

  pdir = g_dir_open (photos, 0, NULL);
  while (pdir != NULL && (name = g_dir_read_name (pdir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (photos, name, NULL);
      g_autoptr (GDir) sdir = g_dir_open (sub, 0, NULL);
      const char *file;

      while (sdir != NULL && (file = g_dir_read_name (sdir)) != NULL)
        if (is_sha256 (file) && !g_hash_table_contains (referenced, file))
          {
            g_autofree char *path = g_build_filename (sub, file, NULL);

            g_unlink (path);
          }
    }
}

gboolean
derm_backup_create (DermStore         *store,
                    const char        *dest,
                    guint              keep,
                    DermBackupReport  *report,
                    GCancellable      *cancellable,
                    GError           **error)
{
  const char *data_dir;
  g_autofree char *snapshots = NULL;
  g_autofree char *name = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *final = NULL;
  g_autofree char *db_copy = NULL;
  g_autofree char *db_sha = NULL;
  g_autofree char *created = NULL;
  g_autoptr (GPtrArray) hashes = NULL;
  g_autoptr (GArray) sizes = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *photos = NULL;
  DermBackupReport local_report = { 0 };
  Batch batch;
  Copier copier;
  gboolean copying = FALSE;
  gint64 t0 = g_get_monotonic_time ();
  guint64 db_size = 0;
  gboolean ok = FALSE;
  int lock = -1;

  g_return_val_if_fail (DERM_IS_STORE (store), FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);

  if (report == NULL)
    report = &local_report;
  if (keep == 0)
    keep = DERM_BACKUP_DEFAULT_KEEP;

  data_dir = derm_store_get_data_dir (store);
  if (*dest == '\0' || derm_path_is_inside (dest, data_dir) || derm_path_is_inside (data_dir, dest))
    {
      g_set_error (error, DERM_BACKUP_ERROR, DERM_BACKUP_ERROR_INVALID,
                   _("Back up to a folder outside the data folder %s, and not around it: %s."),
                   data_dir, dest);
      return FALSE;
    }

  batch_init (&batch);
  snapshots = g_build_filename (dest, "snapshots", NULL);
  photos = g_build_filename (dest, "photos", NULL);
  if (!ensure_dir (snapshots, &batch, error))
    goto out;
  if ((lock = lock_dest (dest, error)) < 0)
    goto out;

  report->n_unfinished = clear_leftovers (dest);

  name = new_snapshot_name (dest, snapshots);
  tmp_name = g_strconcat (TMP_PREFIX, name, NULL);
  tmp = g_build_filename (snapshots, tmp_name, NULL);
  final = g_build_filename (snapshots, name, NULL);
  if (!ensure_dir (tmp, &batch, error))
    goto out;

  /* The database first: the originals to copy are the ones it lists */
  db_copy = g_build_filename (tmp, DB_NAME, NULL);
  now = g_date_time_new_now_utc ();
  created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  if (!derm_store_snapshot (store, db_copy, error) ||
      !derm_store_check_file (db_copy, &hashes, error))
    goto out;
  g_chmod (db_copy, 0600);
  batch_add_file (&batch, db_copy, NULL);
  /* In the order of their folders, as cp -r goes: each folder is looked
   * up and written while it is warm */
  g_ptr_array_sort (hashes, compare_names);

  g_debug ("database copied and checked: %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  sizes = g_array_sized_new (FALSE, FALSE, sizeof (guint64), hashes->len);
  copier_init (&copier, cancellable);
  copying = TRUE;
  for (guint i = 0; i < hashes->len; i++)
    {
      const char *sha = g_ptr_array_index (hashes, i);
      g_autofree char *src = photo_path (data_dir, sha);
      g_autofree char *dst = photo_path (dest, sha);
      struct stat src_st, dst_st;
      guint64 size;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (g_stat (src, (GStatBuf *) &src_st) != 0)
        {
          /* Erased for good since the snapshot: an older backup may have it */
          if (g_stat (dst, (GStatBuf *) &dst_st) == 0)
            {
              size = (guint64) dst_st.st_size;
              g_array_append_val (sizes, size);
              continue;
            }
          g_set_error (error, DERM_BACKUP_ERROR, DERM_BACKUP_ERROR_IO,
                       _("The original %s is missing from the data folder. Run “dermis-cli photo verify”, then back up again."),
                       src);
          goto out;
        }
      size = (guint64) src_st.st_size;
      g_array_append_val (sizes, size);

      /* Content-addressed: the same name is the same bytes */
      if (g_stat (dst, (GStatBuf *) &dst_st) == 0 && dst_st.st_size == src_st.st_size)
        continue;
      {
        g_autofree char *dir = g_path_get_dirname (dst);
        g_autofree char *part_name = g_strdup_printf (TMP_PREFIX "%s", sha);
        g_autofree char *part = g_build_filename (dir, part_name, NULL);

        if (!ensure_dir (dir, &batch, error))
          goto out;
        g_unlink (part);
        /* Renamed once on disk: a name without its bytes never appears */
        batch_add_file (&batch, part, dst);
        copier_push (&copier, src, part);
        report->n_copied++;
      }
    }
  copying = FALSE;
  if (!copier_finish (&copier, &report->bytes_copied, error))
    goto out;

  g_debug ("%u originals copied: %.3f s", report->n_copied, (g_get_monotonic_time () - t0) / 1e6);
  if ((db_sha = hash_file (db_copy, &db_size, error)) == NULL ||
      !write_manifest (tmp, created, db_sha, db_size, hashes, sizes, error))
    goto out;
  {
    g_autofree char *manifest = g_build_filename (tmp, MANIFEST_NAME, NULL);

    batch_add_file (&batch, manifest, NULL);
  }

  /* Everything on disk, then the name that says complete */
  batch_add_dir (&batch, tmp);
  if (!batch_commit (&batch, error))
    goto out;
  g_debug ("on disk: %.3f s", (g_get_monotonic_time () - t0) / 1e6);
  if (g_rename (tmp, final) != 0)
    {
      io_error (error, _("Cannot write"), final, errno);
      goto out;
    }
  if (!fsync_path (snapshots, TRUE, error))
    goto out;

  report->snapshot = g_strdup (name);
  report->n_photos = hashes->len;
  prune (dest, keep, report);
  {
    g_autoptr (GPtrArray) names = derm_backup_list_snapshots (dest);

    report->n_snapshots = names->len;
  }
  ok = TRUE;

out:
  /* The copies still running finish before their files are removed */
  if (copying)
    copier_finish (&copier, &report->bytes_copied, NULL);
  batch_clear (&batch);
  if (!ok && tmp != NULL)
    remove_tree (tmp);
  if (lock >= 0)
    close (lock);
  if (report == &local_report)
    derm_backup_report_clear (&local_report);
  return ok;
}

typedef struct
{
  char  *dest;
  guint  keep;
} CreateData;

static void
create_data_free (gpointer data)
{
  CreateData *d = data;

  g_free (d->dest);
  g_free (d);
}

static void
report_free (gpointer data)
{
  derm_backup_report_clear (data);
  g_free (data);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CreateData *d = task_data;
  DermBackupReport *report = g_new0 (DermBackupReport, 1);
  GError *error = NULL;

  if (derm_backup_create (DERM_STORE (source_object), d->dest, d->keep, report, cancellable, &error))
    g_task_return_pointer (task, report, report_free);
  else
    {
      report_free (report);
      g_task_return_error (task, error);
    }
}

void
derm_backup_create_async (DermStore           *store,
                          const char          *dest,
                          guint                keep,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (store, cancellable, callback, user_data);
  CreateData *d = g_new0 (CreateData, 1);

  d->dest = g_strdup (dest);
  d->keep = keep;
  g_task_set_source_tag (task, derm_backup_create_async);
  g_task_set_task_data (task, d, create_data_free);
  g_task_run_in_thread (task, create_thread);
}

gboolean
derm_backup_create_finish (GAsyncResult      *result,
                           DermBackupReport  *report,
                           GError           **error)
{
  DermBackupReport *r = g_task_propagate_pointer (G_TASK (result), error);

  if (r == NULL)
    return FALSE;
  if (report != NULL)
    {
      *report = *r;
      memset (r, 0, sizeof *r);
    }
  report_free (r);
  return TRUE;
}

/* --- verify -------------------------------------------------------------- */

/* @checked: originals already hashed (shared by snapshots) */
static Manifest *
verify_snapshot (const char  *dest,
                 const char  *name,
                 GHashTable  *checked,
                 GError     **error)
{
  g_autofree char *dir = g_build_filename (dest, "snapshots", name, NULL);
  g_autofree char *db = g_build_filename (dir, DB_NAME, NULL);
  g_autofree char *db_sha = NULL;
  g_autoptr (Manifest) m = read_manifest (dir, error);
  g_autoptr (GPtrArray) hashes = NULL;
  g_autoptr (GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) local_error = NULL;
  guint64 size = 0;

  if (m == NULL)
    return NULL;
  db_sha = hash_file (db, &size, NULL);
  if (db_sha == NULL || !g_str_equal (db_sha, m->db_sha256) || size != m->db_size)
    {
      damaged (error, _("The database of the backup %s does not match its manifest."), name);
      return NULL;
    }
  if (!derm_store_check_file (db, &hashes, &local_error))
    {
      damaged (error, _("The database of the backup %s fails its check: %s"), name, local_error->message);
      return NULL;
    }

  for (guint i = 0; i < m->photo_sha256->len; i++)
    {
      const char *sha = g_ptr_array_index (m->photo_sha256, i);
      g_autofree char *path = photo_path (dest, sha);
      g_autofree char *actual = NULL;

      g_hash_table_add (listed, (gpointer) sha);
      if (g_hash_table_contains (checked, sha))
        continue;
      actual = hash_file (path, &size, NULL);
      if (actual == NULL)
        {
          damaged (error, _("The original %s of the backup %s is missing."), sha, name);
          return NULL;
        }
      if (!g_str_equal (actual, sha) || size != g_array_index (m->photo_size, guint64, i))
        {
          damaged (error, _("The original %s of the backup %s is damaged."), sha, name);
          return NULL;
        }
      g_hash_table_add (checked, g_strdup (sha));
    }

  /* Every original the database refers to is in the backup */
  for (guint i = 0; i < hashes->len; i++)
    if (!g_hash_table_contains (listed, g_ptr_array_index (hashes, i)))
      {
        damaged (error, _("The backup %s lacks the original %s its database refers to."),
                 name, (char *) g_ptr_array_index (hashes, i));
        return NULL;
      }
  return g_steal_pointer (&m);
}

static guint
count_unfinished (const char *dest)
{
  g_autofree char *snapshots = g_build_filename (dest, "snapshots", NULL);
  g_autoptr (GDir) dir = g_dir_open (snapshots, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, TMP_PREFIX))
      n++;
  return n;
}

gboolean
derm_backup_verify (const char        *dest,
                    const char        *snapshot,
                    DermBackupReport  *report,
                    GError           **error)
{
  g_autoptr (GPtrArray) names = derm_backup_list_snapshots (dest);
  g_autoptr (GHashTable) checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  DermBackupReport local_report = { 0 };

  g_return_val_if_fail (dest != NULL, FALSE);
  if (report == NULL)
    report = &local_report;

  if (snapshot != NULL)
    {
      g_ptr_array_set_size (names, 0);
      g_ptr_array_add (names, g_strdup (snapshot));
    }
  if (names->len == 0)
    {
      g_set_error (error, DERM_BACKUP_ERROR, DERM_BACKUP_ERROR_NO_SNAPSHOT,
                   _("There is no complete Dermis backup in %s."), dest);
      return FALSE;
    }

  report->n_unfinished = count_unfinished (dest);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr (Manifest) m = verify_snapshot (dest, g_ptr_array_index (names, i), checked, error);

      if (m == NULL)
        {
          derm_backup_report_clear (&local_report);
          return FALSE;
        }
      report->n_snapshots++;
      report->n_photos = m->photo_sha256->len;
      g_free (report->snapshot);
      report->snapshot = g_strdup (g_ptr_array_index (names, i));
    }
  derm_backup_report_clear (&local_report);
  return TRUE;
}

/* --- restore ------------------------------------------------------------- */

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

gboolean
derm_backup_restore (const char        *dest,
                     const char        *snapshot,
                     const char        *data_dir,
                     DermBackupReport  *report,
                     GError           **error)
{
  g_autoptr (GPtrArray) names = derm_backup_list_snapshots (dest);
  g_autoptr (GHashTable) checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (Manifest) m = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *src_db = NULL;
  g_autofree char *dst_db = NULL;
  DermBackupReport local_report = { 0 };
  Batch batch;
  Copier copier;
  gboolean copying = FALSE;
  gboolean target_exists;
  gboolean ok = FALSE;

  g_return_val_if_fail (dest != NULL && data_dir != NULL, FALSE);
  if (report == NULL)
    report = &local_report;

  target_exists = g_file_test (data_dir, G_FILE_TEST_EXISTS);
  if (target_exists && (!g_file_test (data_dir, G_FILE_TEST_IS_DIR) || !dir_is_empty (data_dir)))
    {
      g_set_error (error, DERM_BACKUP_ERROR, DERM_BACKUP_ERROR_NOT_EMPTY,
                   _("%s is not an empty folder. Restore into a new folder; nothing was changed."), data_dir);
      return FALSE;
    }
  if (snapshot == NULL)
    {
      if (names->len == 0)
        {
          g_set_error (error, DERM_BACKUP_ERROR, DERM_BACKUP_ERROR_NO_SNAPSHOT,
                       _("There is no complete Dermis backup in %s."), dest);
          return FALSE;
        }
      snapshot = g_ptr_array_index (names, names->len - 1);
    }
  if ((m = verify_snapshot (dest, snapshot, checked, error)) == NULL)
    return FALSE;

  /* Built beside the target and renamed: it appears whole or not at all */
  parent = g_path_get_dirname (data_dir);
  base = g_path_get_basename (data_dir);
  batch_init (&batch);
  if (!ensure_dir (parent, &batch, error))
    goto out;
  tmp = g_strdup_printf ("%s/.%s.restoring-%08x", parent, base, g_random_int ());
  if (!ensure_dir (tmp, &batch, error))
    goto out;

  for (guint i = 0; i < m->photo_sha256->len; i++)
    {
      const char *sha = g_ptr_array_index (m->photo_sha256, i);
      g_autofree char *src = photo_path (dest, sha);
      g_autofree char *dst = photo_path (tmp, sha);
      g_autofree char *dir = g_path_get_dirname (dst);

      if (!ensure_dir (dir, &batch, error) || !copy_file (src, dst, 0400, &report->bytes_copied, error))
        goto out;
      batch_add_file (&batch, dst, NULL);
      report->n_copied++;
    }
  src_db = g_build_filename (dest, "snapshots", snapshot, DB_NAME, NULL);
  dst_db = g_build_filename (tmp, DB_NAME, NULL);
  if (!copy_file (src_db, dst_db, 0600, NULL, error))
    goto out;
  batch_add_file (&batch, dst_db, NULL);
  batch_add_dir (&batch, tmp);
  if (!batch_commit (&batch, error))
    goto out;
  if (target_exists && g_rmdir (data_dir) != 0)
    {
      io_error (error, _("Cannot replace the empty folder"), data_dir, errno);
      goto out;
    }
  if (g_rename (tmp, data_dir) != 0)
    {
      io_error (error, _("Cannot create"), data_dir, errno);
      goto out;
    }
  if (!fsync_path (parent, TRUE, error))
    goto out;
  report->snapshot = g_strdup (snapshot);
  report->n_photos = m->photo_sha256->len;
  ok = TRUE;

out:
  /* The copies still running finish before their files are removed */
  if (copying)
    copier_finish (&copier, &report->bytes_copied, NULL);
  batch_clear (&batch);
  if (!ok && tmp != NULL)
    remove_tree (tmp);
  derm_backup_report_clear (&local_report);
  return ok;
}
