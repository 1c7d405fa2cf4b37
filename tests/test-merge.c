/* test-merge.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Duplicate clients: what counts as the same person (names folded as
 * search folds them, with the date of birth; phone; email), finding them
 * in the store, and merging one client into another in one audited
 * transaction with the rules still holding (a Do Not Treat of either,
 * overlapping bookings reported). dermis-cli's client add refuses a
 * duplicate with exit status 4 unless --allow-duplicate; client merge.
 */
#define G_LOG_DOMAIN "test-merge"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "derm-appointment.h"
#include "derm-client.h"
#include "derm-photo-library.h"
#include "derm-screening.h"
#include "derm-store.h"
#include "derm-store-merge.h"
#include "derm-store-photos.h"
#include "derm-store-planner.h"
#include "derm-store-private.h"
#include "derm-validate.h"
#include "derm-test-utils.h"

static DermClient *
make_client (const char *name,
             const char *dob,
             const char *phone,
             const char *email)
{
  DermClient *client = derm_client_new ();

  derm_client_set_name (client, name);
  derm_client_set_date_of_birth (client, dob);
  derm_client_set_phone (client, phone);
  derm_client_set_email (client, email);
  return client;
}

static gint64
add (DermStore  *store,
     DermClient *client)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (derm_store_add_client (store, client, &error));
  g_assert_no_error (error);
  return derm_client_get_id (client);
}

static void
test_reasons (void)
{
  g_autoptr (DermClient) soren = make_client ("Søren Ødegård", "1990-06-01", NULL, NULL);
  g_autoptr (DermClient) typed = make_client ("  soren   ODEGARD ", "1990-06-01", NULL, NULL);
  g_autoptr (DermClient) other_day = make_client ("Soren Odegard", "1990-06-02", NULL, NULL);
  g_autoptr (DermClient) no_dob = make_client ("Søren Ødegård", NULL, NULL, NULL);
  g_autoptr (DermClient) strasse = make_client ("Łukasz Đorđević Straße Æsir", "1980-01-01", NULL, NULL);
  g_autoptr (DermClient) plain = make_client ("lukasz dordevic strasse aesir", "1980-01-01", NULL, NULL);
  g_autoptr (DermClient) phone_a = make_client ("A", NULL, "+49 170 1234567", NULL);
  g_autoptr (DermClient) phone_b = make_client ("B", NULL, "0170 / 123 45 67", NULL);
  g_autoptr (DermClient) phone_c = make_client ("C", NULL, "0170 1234568", NULL);
  g_autoptr (DermClient) fr = make_client ("F", NULL, "06 12 34 56 78", NULL);
  g_autoptr (DermClient) es = make_client ("G", NULL, "612 345 678", NULL);
  g_autoptr (DermClient) fr_intl = make_client ("H", NULL, "0033 6 12 34 56 78", NULL);
  g_autoptr (DermClient) mail_a = make_client ("D", NULL, NULL, "Zoe.Mueller@Example.org");
  g_autoptr (DermClient) mail_b = make_client ("E", NULL, NULL, "zoe.mueller@example.org");
  g_autofree char *text = NULL;

  g_assert_cmpint (derm_client_duplicate_reason (soren, typed), ==, DERM_DUPLICATE_NAME_AND_BIRTH);
  g_assert_cmpint (derm_client_duplicate_reason (soren, other_day), ==, DERM_DUPLICATE_NONE);
  /* A name alone is no duplicate: namesakes exist */
  g_assert_cmpint (derm_client_duplicate_reason (soren, no_dob), ==, DERM_DUPLICATE_NONE);
  g_assert_cmpint (derm_client_duplicate_reason (no_dob, no_dob), ==, DERM_DUPLICATE_NONE);
  g_assert_cmpint (derm_client_duplicate_reason (strasse, plain), ==, DERM_DUPLICATE_NAME_AND_BIRTH);
  g_assert_cmpint (derm_client_duplicate_reason (phone_a, phone_b), ==, DERM_DUPLICATE_PHONE);
  g_assert_cmpint (derm_client_duplicate_reason (phone_a, phone_c), ==, DERM_DUPLICATE_NONE);
  /* The same last digits in two countries are two people */
  g_assert_cmpint (derm_client_duplicate_reason (fr, es), ==, DERM_DUPLICATE_NONE);
  g_assert_cmpint (derm_client_duplicate_reason (fr, fr_intl), ==, DERM_DUPLICATE_PHONE);
  /* National and international forms, both ways round */
  {
    g_autoptr (DermClient) fr_plus = make_client ("I", NULL, "+33 6 12 34 56 78", NULL);

    g_assert_cmpint (derm_client_duplicate_reason (es, fr_plus), ==, DERM_DUPLICATE_NONE);
    g_assert_cmpint (derm_client_duplicate_reason (fr_plus, es), ==, DERM_DUPLICATE_NONE);
    g_assert_cmpint (derm_client_duplicate_reason (fr, fr_plus), ==, DERM_DUPLICATE_PHONE);
    g_assert_cmpint (derm_client_duplicate_reason (fr_plus, fr), ==, DERM_DUPLICATE_PHONE);
    g_assert_cmpint (derm_client_duplicate_reason (es, es), ==, DERM_DUPLICATE_PHONE);
  }
  g_assert_cmpint (derm_client_duplicate_reason (mail_a, mail_b), ==, DERM_DUPLICATE_EMAIL);
  g_assert_cmpint (derm_client_duplicate_reason (mail_a, phone_a), ==, DERM_DUPLICATE_NONE);

  derm_client_set_id (soren, 12);
  text = derm_client_describe_duplicate (soren, DERM_DUPLICATE_NAME_AND_BIRTH);
  g_assert_cmpstr (text, ==, "Possible duplicate of Søren Ødegård (born 1990-06-01, client 12): "
                             "the same name and date of birth");
}

typedef struct
{
  DermTestStore t;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  derm_test_store_set_up (&f->t, "merge");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  derm_test_store_tear_down (&f->t);
}

static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  DermStore *store = f->t.store;
  g_autoptr (DermClient) zoe = make_client ("Zoë Müller", "1990-06-01", "06 12 34 56 78", NULL);
  g_autoptr (DermClient) namesake = make_client ("Zoë Müller", "1975-02-03", NULL, NULL);
  g_autoptr (DermClient) typed = make_client ("zoe muller", "1990-06-01", NULL, NULL);
  g_autoptr (DermClient) fresh = make_client ("Nobody Else", NULL, NULL, "no@example.org");
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;
  gint64 zoe_id = add (store, zoe);

  add (store, namesake);
  found = derm_store_find_duplicates (store, typed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (derm_client_get_id (g_ptr_array_index (found, 0)), ==, zoe_id);
  g_assert_cmpint (GPOINTER_TO_INT (g_object_get_data (g_ptr_array_index (found, 0), "derm-duplicate-reason")), ==,
                   DERM_DUPLICATE_NAME_AND_BIRTH);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* A client is no duplicate of themselves */
  found = derm_store_find_duplicates (store, zoe, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = derm_store_find_duplicates (store, fresh, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
screen (DermStore    *store,
        gint64        client_id,
        const char   *date,
        DermQuestion  yes)
{
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (GError) error = NULL;

  derm_screening_set_client_id (screening, client_id);
  derm_screening_set_date (screening, date);
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_set_answer (screening, q, q == yes ? DERM_ANSWER_YES : DERM_ANSWER_NO);
  if (yes < DERM_N_QUESTIONS)
    derm_screening_set_details (screening, yes, "Cold sore on the upper lip");
  g_assert_true (derm_store_add_screening (store, screening, &error));
  g_assert_no_error (error);
}

static gint64
book (DermStore  *store,
      gint64      client_id,
      const char *local,
      const char *room)
{
  g_autoptr (DermAppointment) appointment = derm_appointment_new ();
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (store, NULL);
  g_autoptr (GError) error = NULL;

  derm_appointment_set_client_id (appointment, client_id);
  g_assert_true (derm_appointment_set_start (appointment, local, derm_clinic_get_time_zone_id (clinic)));
  derm_appointment_set_duration_minutes (appointment, 60);
  derm_appointment_set_room (appointment, room);
  g_assert_true (derm_store_add_appointment (store, appointment, &error));
  g_assert_no_error (error);
  return derm_appointment_get_id (appointment);
}

static guint
count_audit (DermStore  *store,
             const char *action,
             gint64      id)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (derm_store_get_db (store),
                                       "SELECT count(*) FROM audit_log WHERE action = ?1 AND entity = 'client' "
                                       "AND entity_id = ?2", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* A Monday at least a week ahead, as ISO */
static char *
next_monday (void)
{
  GDate day;

  derm_date_today (&day);
  g_date_add_days (&day, 7);
  while (g_date_get_weekday (&day) != G_DATE_MONDAY)
    g_date_add_days (&day, 1);
  return derm_date_format (&day);
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  DermStore *store = f->t.store;
  g_autoptr (DermClient) old = make_client ("Zoë Müller", "1990-06-01", NULL, "zoe@example.org");
  g_autoptr (DermClient) kept = make_client ("Zoe Mueller", NULL, "0612345678", NULL);
  g_autoptr (DermClinic) clinic = derm_store_load_clinic (store, NULL);
  g_autoptr (DermClient) merged = NULL;
  g_autoptr (DermClient) gone = NULL;
  g_autoptr (DermPhoto) shared_old = NULL;
  g_autoptr (DermPhoto) shared_kept = NULL;
  g_autoptr (DermPhoto) own = NULL;
  g_autoptr (GPtrArray) photos = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (DermMergeReport) preview = { 0 };
  g_auto (DermMergeReport) report = { 0 };
  g_autofree char *monday = next_monday ();
  g_autofree char *at_ten = g_strconcat (monday, "T10:00", NULL);
  g_autofree char *at_half = g_strconcat (monday, "T10:30", NULL);
  g_autofree char *shared_path = NULL;
  g_autofree char *own_path = NULL;
  g_autofree char *described = NULL;
  const char * const rooms[] = { "Room 1", "Room 2", NULL };
  guint8 red[16 * 16 * 3];
  guint8 blue[16 * 16 * 3];
  gint64 old_id = add (store, old);
  gint64 kept_id = add (store, kept);
  gint64 old_booking;
  gint64 kept_booking;
  char today_iso[11];
  GDate today;

  derm_clinic_set_rooms (clinic, rooms);
  g_assert_true (derm_store_save_clinic (store, clinic, &error));
  g_assert_no_error (error);

  /* Sessions and bookings before today's screenings (both are refused
   * under a contraindication) */
  derm_test_add_session (store, old_id, "2026-01-10");
  derm_test_add_session (store, old_id, "2026-02-10");
  old_booking = book (store, old_id, at_ten, "Room 1");
  kept_booking = book (store, kept_id, at_half, "Room 2");

  /* The older record has a cold sore on file (Do Not Treat); the kept
   * one, screened later the same day, does not */
  derm_date_today (&today);
  g_date_strftime (today_iso, sizeof today_iso, "%Y-%m-%d", &today);
  screen (store, old_id, today_iso, DERM_QUESTION_ACTIVE_INFECTION);
  screen (store, kept_id, today_iso, DERM_N_QUESTIONS);
  merged = derm_store_get_client (store, kept_id, &error);
  g_assert_no_error (error);
  g_assert_null (derm_client_get_do_not_treat (merged));
  g_clear_object (&merged);


  /* One photo both hold, one only the old record */
  for (guint i = 0; i < sizeof red; i += 3)
    {
      red[i] = 200, red[i + 1] = 40, red[i + 2] = 40;
      blue[i] = 40, blue[i + 1] = 40, blue[i + 2] = 200;
    }
  shared_path = derm_test_write_image (f->t.files_dir, "shared.png", 16, 16, red);
  own_path = derm_test_write_image (f->t.files_dir, "own.png", 16, 16, blue);
  shared_old = derm_test_import (f->t.library, old_id, shared_path, 0, DERM_PHOTO_VIEW_FRONT);
  shared_kept = derm_test_import (f->t.library, kept_id, shared_path, 0, DERM_PHOTO_VIEW_OTHER);
  own = derm_test_import (f->t.library, old_id, own_path, 0, DERM_PHOTO_VIEW_LEFT_45);

  /* The preview says what would move, and changes nothing */
  g_assert_true (derm_store_preview_merge (store, old_id, kept_id, &preview, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (preview.moved.screenings, ==, 1);
  g_assert_cmpuint (preview.moved.sessions, ==, 2);
  g_assert_cmpuint (preview.moved.photos, ==, 2);
  g_assert_cmpuint (preview.moved.appointments, ==, 1);
  g_assert_cmpuint (preview.overlaps->len, ==, 1);
  described = derm_client_counts_describe (&preview.moved);
  g_assert_cmpstr (described, ==, "1 screening, 2 sessions, 2 photos and 1 appointment");
  gone = derm_store_get_client (store, old_id, &error);
  g_assert_no_error (error);
  g_clear_object (&gone);

  /* Into themselves, or a client who does not exist: refused */
  g_assert_false (derm_store_merge_clients (store, kept_id, kept_id, &report, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (derm_store_merge_clients (store, 9999, kept_id, &report, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (derm_store_merge_clients (store, old_id, kept_id, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.moved.sessions, ==, 2);
  g_assert_true (report.screening_combined);
  g_assert_cmpuint (report.overlaps->len, ==, 1);
  g_assert_cmpint (g_array_index (report.overlaps, DermMergeOverlap, 0).from_id, ==, old_booking);
  g_assert_cmpint (g_array_index (report.overlaps, DermMergeOverlap, 0).into_id, ==, kept_booking);
  g_assert_cmpstr (g_array_index (report.overlaps, DermMergeOverlap, 0).from_start, ==, at_ten);

  /* The old record is gone; everything it held is the kept client's */
  gone = derm_store_get_client (store, old_id, &error);
  g_assert_null (gone);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  merged = derm_store_get_client (store, kept_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_client_get_name (merged), ==, "Zoe Mueller");
  g_assert_cmpstr (derm_client_get_date_of_birth (merged), ==, "1990-06-01");
  g_assert_cmpstr (derm_client_get_email (merged), ==, "zoe@example.org");
  g_assert_cmpstr (derm_client_get_phone (merged), ==, "0612345678");
  /* The cold sore of the old record still rules treatment out */
  g_assert_nonnull (derm_client_get_do_not_treat (merged));
  g_assert_cmpstr (derm_client_get_last_visit (merged), ==, "2026-02-10");

  photos = derm_store_list_photos (store, kept_id, DERM_PHOTO_LIST_ACTIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (photos->len, ==, 2);
  for (guint i = 0; i < photos->len; i++)
    if (g_str_equal (derm_photo_get_sha256 (g_ptr_array_index (photos, i)), derm_photo_get_sha256 (shared_kept)))
      /* The kept row learned the view only the other knew */
      g_assert_cmpint (derm_photo_get_view (g_ptr_array_index (photos, i)), ==, DERM_PHOTO_VIEW_FRONT);
  {
    g_autofree char *original = derm_photo_library_get_original_path (f->t.library,
                                                                      derm_photo_get_sha256 (shared_kept));

    g_assert_true (g_file_test (original, G_FILE_TEST_EXISTS));
  }

  g_assert_cmpuint (count_audit (store, "merge", kept_id), ==, 1);
  g_assert_cmpuint (count_audit (store, "delete", old_id), ==, 1);
}

static int
cli (Fixture     *f,
     char       **out,
     char       **err,
     ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (args, (gpointer) "--data-dir");
  g_ptr_array_add (args, f->t.data_dir);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return derm_test_run_cli ((const char * const *) args->pdata, NULL, out, err);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr (DermClient) soren = make_client ("Søren Ødegård", "1990-06-01", NULL, NULL);
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *into_text = NULL;
  gint64 soren_id;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("no dermis-cli");
      return;
    }
  soren_id = add (f->t.store, soren);

  /* Typed without the letters: refused, one line, nothing created */
  g_assert_cmpint (cli (f, &out, &err, "client", "add", "--name", "soren odegard", "--dob", "1990-06-01", NULL), ==, 4);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "Possible duplicate of Søren Ødegård (born 1990-06-01, client"));
  g_assert_nonnull (strstr (err, "--allow-duplicate"));
  g_assert_nonnull (strchr (err, '\n'));
  g_assert_cmpstr (strchr (err, '\n') + 1, ==, "");
  clients = derm_store_list_clients (f->t.store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 1);
  g_clear_pointer (&clients, g_ptr_array_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Asked for: created */
  g_assert_cmpint (cli (f, &out, &err, "client", "add", "--name", "soren odegard", "--dob", "1990-06-01",
                        "--allow-duplicate", NULL), ==, 0);
  into_text = g_strstrip (g_strdup (out));
  from_text = g_strdup_printf ("%" G_GINT64_FORMAT, soren_id);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Merged: the first into the second */
  g_assert_cmpint (cli (f, &out, &err, "client", "merge", from_text, from_text, NULL), ==, 4);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (f, &out, &err, "client", "merge", "999", into_text, NULL), ==, 3);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (f, &out, &err, "client", "merge", from_text, into_text, "--dry-run", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "would move nothing"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (f, &out, &err, "--json", "client", "merge", from_text, into_text, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"merged\" : true"));
  clients = derm_store_list_clients (f->t.store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 1);
  g_assert_cmpstr (derm_client_get_name (g_ptr_array_index (clients, 0)), ==, "soren odegard");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merge/duplicate/reasons-fold-names-phones-emails", test_reasons);
  g_test_add ("/merge/duplicate/found-in-store", Fixture, NULL, fixture_set_up, test_find, fixture_tear_down);
  g_test_add ("/merge/merge/moves-everything-keeps-rules-audited", Fixture, NULL,
              fixture_set_up, test_merge, fixture_tear_down);
  g_test_add ("/merge/cli/add-refuses-duplicate-and-merge", Fixture, NULL,
              fixture_set_up, test_cli, fixture_tear_down);

  return g_test_run ();
}
