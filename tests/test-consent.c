/* test-consent.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Photo-use consent (who may see a photo: clinical record, education,
 * marketing) and its check before every export, through the store and
 * through dermis-cli.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "derm-photo-use.h"
#include "derm-store-photos.h"
#include "derm-test-utils.h"

typedef struct
{
  DermTestStore t;
  gint64        client_id;
  DermPhoto    *photo;
} Fixture;

static void
paint_skin (int      x,
            int      y,
            guint8   rgb[3],
            gpointer user_data)
{
  rgb[0] = (guint8) (180 + (x * 7 + y * 3) % 40);
  rgb[1] = (guint8) (120 + (x + y) % 30);
  rgb[2] = (guint8) (100 + (x * y) % 20);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  derm_test_store_set_up (&f->t, "consent");
  f->client_id = derm_test_add_client (f->t.store, "Ada Lovelace");
  path = derm_test_make_image (f->t.files_dir, "front.jpg", 320, 240, paint_skin, NULL);
  f->photo = derm_test_import (f->t.library, f->client_id, path, 0, DERM_PHOTO_VIEW_FRONT);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->photo);
  derm_test_store_tear_down (&f->t);
}

static int run_cli (Fixture *f, char **out, char **err, ...) G_GNUC_NULL_TERMINATED;

static int
run_cli (Fixture  *f,
         char    **out,
         char    **err,
         ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (args, (gpointer) "--data-dir");
  g_ptr_array_add (args, f->t.data_dir);
  va_start (ap, err);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return derm_test_run_cli ((const char * const *) args->pdata, NULL, out, err);
}

/* The audit entries of @action, newest first */
static guint
count_audit (DermStore  *store,
             const char *action,
             char      **last_fields)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) audit = derm_store_list_audit (store, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      const char *entry_action, *fields;

      g_variant_get (g_ptr_array_index (audit, i), "(x&s&s&sx&s)", NULL, NULL, &entry_action, NULL, NULL, &fields);
      if (g_str_equal (entry_action, action))
        {
          if (n == 0 && last_fields != NULL)
            *last_fields = g_strdup (fields);
          n++;
        }
    }
  return n;
}

/* --- photo use ----------------------------------------------------------- */

static void
test_photo_use_levels (void)
{
  DermPhotoUse use;

  /* each level includes the ones before it, never the ones after */
  g_assert_true (derm_photo_use_allows (DERM_PHOTO_USE_CLINICAL, DERM_PHOTO_USE_CLINICAL));
  g_assert_false (derm_photo_use_allows (DERM_PHOTO_USE_CLINICAL, DERM_PHOTO_USE_EDUCATION));
  g_assert_false (derm_photo_use_allows (DERM_PHOTO_USE_CLINICAL, DERM_PHOTO_USE_MARKETING));
  g_assert_true (derm_photo_use_allows (DERM_PHOTO_USE_EDUCATION, DERM_PHOTO_USE_EDUCATION));
  g_assert_false (derm_photo_use_allows (DERM_PHOTO_USE_EDUCATION, DERM_PHOTO_USE_MARKETING));
  g_assert_true (derm_photo_use_allows (DERM_PHOTO_USE_MARKETING, DERM_PHOTO_USE_EDUCATION));
  g_assert_true (derm_photo_use_allows (DERM_PHOTO_USE_MARKETING, DERM_PHOTO_USE_CLINICAL));
  g_assert_true (derm_photo_use_from_key ("Marketing", &use));
  g_assert_cmpint (use, ==, DERM_PHOTO_USE_MARKETING);
  g_assert_false (derm_photo_use_from_key ("instagram", &use));
  g_assert_false (derm_photo_use_from_key (NULL, &use));
}

static DermPhoto *
reload (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  DermPhoto *photo = derm_store_get_photo (f->t.store, derm_photo_get_id (f->photo), &error);

  g_assert_no_error (error);
  return photo;
}

static void
test_photo_use_follows_client (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermPhoto) photo = NULL;
  DermPhotoUse use;

  /* a new client and their photos: the clinical record only */
  g_assert_cmpint (derm_photo_get_use (f->photo), ==, DERM_PHOTO_USE_CLINICAL);
  g_assert_false (derm_photo_get_use_is_own (f->photo));

  g_assert_true (derm_store_set_client_photo_use (f->t.store, f->client_id, DERM_PHOTO_USE_EDUCATION, &error));
  g_assert_no_error (error);
  g_assert_true (derm_store_get_client_photo_use (f->t.store, f->client_id, &use, &error));
  g_assert_cmpint (use, ==, DERM_PHOTO_USE_EDUCATION);
  photo = reload (f);
  g_assert_cmpint (derm_photo_get_use (photo), ==, DERM_PHOTO_USE_EDUCATION);
  g_assert_false (derm_photo_get_use_is_own (photo));
  g_clear_object (&photo);

  /* the photo's own consent wins over the client's, both ways */
  g_assert_true (derm_store_set_photo_use (f->t.store, derm_photo_get_id (f->photo), TRUE,
                                           DERM_PHOTO_USE_CLINICAL, &error));
  photo = reload (f);
  g_assert_cmpint (derm_photo_get_use (photo), ==, DERM_PHOTO_USE_CLINICAL);
  g_assert_true (derm_photo_get_use_is_own (photo));
  g_clear_object (&photo);

  /* and can be given back to the client's */
  g_assert_true (derm_store_set_photo_use (f->t.store, derm_photo_get_id (f->photo), FALSE,
                                           DERM_PHOTO_USE_CLINICAL, &error));
  photo = reload (f);
  g_assert_cmpint (derm_photo_get_use (photo), ==, DERM_PHOTO_USE_EDUCATION);
  g_assert_false (derm_photo_get_use_is_own (photo));

  /* unknown records */
  g_assert_false (derm_store_set_photo_use (f->t.store, 999, TRUE, DERM_PHOTO_USE_MARKETING, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (derm_store_set_client_photo_use (f->t.store, 999, DERM_PHOTO_USE_MARKETING, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
}

static void
test_photo_use_check_export (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) photos = g_ptr_array_new ();
  g_autofree char *fields = NULL;

  g_ptr_array_add (photos, f->photo);

  /* covered: nothing asked, nothing logged */
  g_assert_true (derm_photo_use_check_export (f->t.store, photos, DERM_PHOTO_USE_CLINICAL, FALSE, "report", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 0);

  /* not covered: refused without the override, and nothing logged */
  g_assert_false (derm_photo_use_check_export (f->t.store, photos, DERM_PHOTO_USE_MARKETING, FALSE, "report", &error));
  g_assert_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_CONSENTED);
  g_assert_nonnull (strstr (error->message, "marketing"));
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 0);

  /* overridden: allowed and logged with the use and the kind of export */
  g_assert_true (derm_photo_use_check_export (f->t.store, photos, DERM_PHOTO_USE_MARKETING, TRUE, "report", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", &fields), ==, 1);
  g_assert_cmpstr (fields, ==, "use=marketing; export=report");
}

static void
test_photo_use_cli (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, derm_photo_get_id (f->photo));
  g_autofree char *client = g_strdup_printf ("%" G_GINT64_FORMAT, f->client_id);
  g_autofree char *dest = g_build_filename (f->t.dir, "for-the-website.jpg", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("dermis-cli not built");
      return;
    }

  /* marketing without the client's consent: refused, nothing written */
  g_assert_cmpint (run_cli (f, &out, &err, "photo", "export", id, dest, "--use", "marketing", NULL), ==, 4);
  g_assert_nonnull (strstr (err, "--override-consent"));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  /* a use that is not one */
  g_assert_cmpint (run_cli (f, NULL, NULL, "photo", "export", id, dest, "--use", "tiktok", NULL), ==, 2);

  /* the clinical record is always covered */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "photo", "export", id, dest, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photo_use\" : \"clinical\""));
  g_assert_nonnull (strstr (out, "\"consent_overridden\" : false"));
  g_unlink (dest);
  g_clear_pointer (&out, g_free);

  /* overridden explicitly: exported and logged */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "photo", "export", id, dest, "--use", "marketing",
                            "--override-consent", NULL), ==, 0);
  g_assert_true (g_file_test (dest, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (out, "\"consent_overridden\" : true"));
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 1);
  g_unlink (dest);
  g_clear_pointer (&out, g_free);

  /* the client consents to marketing: no override needed, none logged */
  g_assert_cmpint (run_cli (f, &out, NULL, "client", "photo-use", client, "marketing", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, NULL, NULL, "photo", "export", id, dest, "--use", "marketing", NULL), ==, 0);
  g_assert_cmpuint (count_audit (f->t.store, "override-photo-use", NULL), ==, 1);
  g_unlink (dest);

  /* this photo is withdrawn from marketing: refused again */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "photo", "consent", id, "education", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photo_use_from\" : \"photo\""));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, NULL, NULL, "photo", "export", id, dest, "--use", "marketing", NULL), ==, 4);
  g_assert_cmpint (run_cli (f, NULL, NULL, "photo", "export", id, dest, "--use", "education", NULL), ==, 0);
  g_unlink (dest);

  /* the listing carries the consent */
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "photo", "list", client, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photo_use\" : \"education\""));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f, &out, NULL, "--json", "client", "show", client, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"photo_use\" : \"marketing\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/consent/photo-use/levels", test_photo_use_levels);
  ADD ("/consent/photo-use/follows-client", test_photo_use_follows_client);
  ADD ("/consent/photo-use/check-export-logs-override", test_photo_use_check_export);
  ADD ("/consent/photo-use/cli", test_photo_use_cli);
#undef ADD

  return g_test_run ();
}
