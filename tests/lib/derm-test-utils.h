/* derm-test-utils.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fixtures the test suites and benchmarks share (libdermtestutils): temporary
 * directories, a store with its photo library, records to fill it with,
 * JPEG and PNG files written with libjpeg and libpng (not with the code
 * under test), and dermis-cli spawned the way a script runs it. Each helper
 * fails the test itself when something goes wrong, so a test reads as what
 * it proves.
 */
#pragma once

#include <glib.h>

#include "derm-imaging.h"
#include "derm-photo-library.h"
#include "derm-plan-proposal.h"
#include "derm-photo.h"
#include "derm-store.h"
#include "derm-thumbnailer.h"

G_BEGIN_DECLS

/* --- directories ------------------------------------------------------- */

/* A new empty directory "dermis-@name-XXXXXX" under the temporary directory */
char       *derm_test_make_tmp_dir      (const char *name);

/* Removes @path and everything below it (symbolic links are not followed) */
void        derm_test_remove_tree       (const char *path);

/* --- a store with its photo library ------------------------------------ */

typedef struct
{
  char             *dir;         /* the temporary directory of everything below */
  char             *data_dir;    /* dir/data: the store and the photos */
  char             *files_dir;   /* dir/files: where tests write photos to import */
  char             *cache_dir;   /* dir/cache: thumbnails */
  DermStore        *store;
  DermThumbnailer  *thumbnailer;
  DermPhotoLibrary *library;
} DermTestStore;

/* Opens a new store in a new temporary directory named after @name */
void        derm_test_store_set_up      (DermTestStore *fixture,
                                         const char    *name);
/* Closes everything and removes the directory */
void        derm_test_store_tear_down   (DermTestStore *fixture);

/* --- records ----------------------------------------------------------- */

gint64      derm_test_add_client        (DermStore  *store,
                                         const char *name);
/* A treatment session of @client_id on @date (YYYY-MM-DD); returns its ID */
gint64      derm_test_add_session       (DermStore  *store,
                                         gint64      client_id,
                                         const char *date);
/* Imports @path for @client_id under session @session_id (0: none) */
DermPhoto  *derm_test_import            (DermPhotoLibrary *library,
                                         gint64            client_id,
                                         const char       *path,
                                         gint64            session_id,
                                         DermPhotoView     view);

/* --- photo files ------------------------------------------------------- */

/* Writes @width x @height 8-bit RGB pixels (@stride bytes per row) */
void        derm_test_write_jpeg        (const char   *path,
                                         int           width,
                                         int           height,
                                         const guint8 *rgb,
                                         gsize         stride,
                                         int           quality);
void        derm_test_write_png         (const char   *path,
                                         int           width,
                                         int           height,
                                         const guint8 *rgb,
                                         gsize         stride);

/* Writes @dir/@name as JPEG (quality 92) or PNG, after its extension;
 * returns the path */
char       *derm_test_write_image       (const char   *dir,
                                         const char   *name,
                                         int           width,
                                         int           height,
                                         const guint8 *rgb);

/* The colour of pixel (@x, @y) of a picture to make */
typedef void (*DermTestPixelFunc) (int      x,
                                   int      y,
                                   guint8   rgb[3],
                                   gpointer user_data);

/* derm_test_write_image() of the pixels @func paints */
char       *derm_test_make_image        (const char        *dir,
                                         const char        *name,
                                         int                width,
                                         int                height,
                                         DermTestPixelFunc  func,
                                         gpointer           user_data);

/* Writes @datetime ("2024:03:14 10:22:33", EXIF's form) into the JPEG
 * at @path as its capture date (Exif.Photo.DateTimeOriginal) */
void        derm_test_set_capture_date  (const char        *path,
                                         const char        *datetime);

/* --- synthetic skin ------------------------------------------------------ */

/* A skin-like scene: base tone, fine noise, dark and light spots of random
 * (but fixed) sizes to align on, and a round red blotch of @redness (0:
 * none) centred at (@blotch_x, @blotch_y) with radius @blotch_r */
DermImage  *derm_test_make_skin         (int    width,
                                         int    height,
                                         double redness,
                                         double blotch_x,
                                         double blotch_y,
                                         double blotch_r);
/* Imports @n JPEG photos (@width x @height) of one skin-like scene for
 * @client_id's @view, photo i under session @session_ids[i] with the
 * blotch at @redness[i], each taken with its own small rotation (up to
 * 2 degrees), zoom (2 %) and shift; returns them (DermPhoto) */
GPtrArray  *derm_test_import_skin_series (DermTestStore *fixture,
                                         gint64         client_id,
                                         DermPhotoView  view,
                                         const gint64  *session_ids,
                                         const double  *redness,
                                         guint          n,
                                         int            width,
                                         int            height);

/* --- planner ------------------------------------------------------------ */

/* Asserts @proposal is bookable; when it is not, the failure names the
 * blocking reason and each item's problems, dates and times */
#define derm_test_assert_bookable(proposal) \
  derm_test_assert_bookable_impl ((proposal), __FILE__, __LINE__, G_STRFUNC)
void        derm_test_assert_bookable_impl (DermPlanProposal *proposal,
                                            const char       *file,
                                            int               line,
                                            const char       *func);

/* --- dermis-cli -------------------------------------------------------- */

/* Whether $DERMIS_CLI names a built dermis-cli (tests skip without one) */
gboolean    derm_test_have_cli          (void);

/* Runs $DERMIS_CLI with @args (NULL-terminated, without the program) and
 * @envp (NULL: inherit); fills @out and @err when not NULL. Returns the
 * exit status, or -1 when the program did not exit normally (a crash, a
 * sanitizer abort, a signal). */
int         derm_test_run_cli           (const char * const  *args,
                                         char               **envp,
                                         char               **out,
                                         char               **err);
/* Runs $DERMIS_CLI --data-dir @data_dir ARGS... (NULL-terminated) */
int         derm_test_run_cli_in        (const char          *data_dir,
                                         char               **out,
                                         char               **err,
                                         const char          *first,
                                         ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
