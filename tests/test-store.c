/* test-store.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "derm-client.h"
#include "derm-clinic.h"
#include "derm-finding.h"
#include "derm-screening.h"
#include "derm-screening-rules.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-store-private.h"
#include "derm-treatment.h"
#include "derm-validate.h"
#include "derm-test-utils.h"

/* Text that has broken SQL-building code and encoders before */
static const char *nasty[] = {
  "Zoë Müller-Łukasiewicz",
  "O'Brien; DROP TABLE clients; --",
  "\"quoted\" % _ \\ backslash",
  "日本語のテキスト 🧴✨",
  "Robert'); DELETE FROM treatments WHERE ('1'='1",
};

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = derm_test_make_tmp_dir ("test-store");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  derm_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
db_path (Fixture *f)
{
  return g_build_filename (f->dir, "data", "dermis.db", NULL);
}

static char *
data_dir (Fixture *f)
{
  return g_build_filename (f->dir, "data", NULL);
}

static DermStore *
open_store (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = data_dir (f);
  DermStore *store = derm_store_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static DermClient *
make_client (const char *name)
{
  DermClient *c = derm_client_new ();
  derm_client_set_name (c, name);
  return c;
}

static int
sql_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
sql_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
assert_integrity (const char *path)
{
  sqlite3 *db = NULL;
  g_autofree char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  result = sql_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (result, ==, "ok");
  sqlite3_close (db);
}

/* --- opening ----------------------------------------------------------- */

static void
test_open_private (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (DermStore) store = NULL;
  g_autofree char *dir = data_dir (f);
  g_autofree char *path = db_path (f);
  struct stat st;

  store = open_store (f);
  g_assert_cmpstr (derm_store_get_path (store), ==, path);
  g_assert_cmpint (derm_store_get_schema_version (store), ==, DERM_STORE_SCHEMA_VERSION);

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (sql_int (derm_store_get_db (store), "PRAGMA application_id"), ==, DERM_STORE_APPLICATION_ID);
  g_assert_cmpint (sql_int (derm_store_get_db (store), "PRAGMA foreign_keys"), ==, 1);
  {
    g_autofree char *mode = sql_text (derm_store_get_db (store), "PRAGMA journal_mode");
    g_assert_cmpstr (mode, ==, "wal");
  }
}

static void
test_default_data_dir (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("DERMIS_DATA_DIR"));
  g_autofree char *dir = NULL;
  g_autofree char *xdg = NULL;

  g_setenv ("DERMIS_DATA_DIR", "/tmp/somewhere-else", TRUE);
  dir = derm_store_default_data_dir ();
  g_assert_cmpstr (dir, ==, "/tmp/somewhere-else");

  g_unsetenv ("DERMIS_DATA_DIR");
  xdg = derm_store_default_data_dir ();
  g_assert_true (g_str_has_suffix (xdg, "/dermis"));
  g_assert_true (g_str_has_prefix (xdg, g_get_user_data_dir ()));

  if (saved)
    g_setenv ("DERMIS_DATA_DIR", saved, TRUE);
}

static void
test_migrate_from_each_version (Fixture       *f,
                                gconstpointer  data)
{
  guint n_steps;
  const char * const *steps = derm_store_get_migrations (&n_steps);

  g_assert_cmpuint (n_steps, ==, DERM_STORE_SCHEMA_VERSION);

  for (guint from = 0; from < n_steps; from++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/v%u", f->dir, from);
      g_autofree char *path = g_build_filename (dir, "dermis.db", NULL);
      g_autoptr (DermStore) store = NULL;
      g_autoptr (GError) error = NULL;
      sqlite3 *db = NULL;

      g_test_message ("migrating from schema %u", from);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      for (guint i = 0; i < from; i++)
        g_assert_cmpint (sqlite3_exec (db, steps[i], NULL, NULL, NULL), ==, SQLITE_OK);
      if (from >= 1)
        {
          /* a client, a screening and a session as that version stored them */
          g_assert_cmpint (sqlite3_exec (db,
            "INSERT INTO clients (id, name, concerns, created_at, updated_at) "
            "VALUES (7, 'Old Client', 'texture,redness', '2025-01-01T10:00:00Z', '2025-01-01T10:00:00Z');"
            "INSERT INTO screenings (id, client_id, date, created_at) VALUES (3, 7, '2025-01-01', '2025-01-01T10:00:00Z');"
            "INSERT INTO screening_answers (screening_id, question, answer, details, date) "
            "VALUES (3, 'isotretinoin', 'yes', 'Roaccutane', '2024-12-01');"
            "INSERT INTO treatments (id, client_id, date, passes, created_at, updated_at) "
            "VALUES (5, 7, '2025-02-01', 3, '2025-02-01T10:00:00Z', '2025-02-01T10:00:00Z');"
            "INSERT INTO treatment_depths VALUES (5, 0, 'forehead', 0.5);",
            NULL, NULL, NULL), ==, SQLITE_OK);
        }
      if (from >= 11 && from < 14)
        {
          /* a practitioner's week and leave as kept by name (schema 11-13),
           * and a row of someone no longer listed */
          g_assert_cmpint (sqlite3_exec (db,
            "INSERT INTO practitioners (position, name) VALUES (0, 'Ana'), (1, 'Bea');"
            "INSERT INTO practitioner_hours VALUES ('Bea', 1, '09:00-13:00'), ('Gone', 2, '10:00-11:00');"
            "INSERT INTO practitioner_leave VALUES ('Bea', '2027-02-01', 'Course'), ('Gone', '2027-02-02', '');",
            NULL, NULL, NULL), ==, SQLITE_OK);
        }
      if (from > 0)
        {
          g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u; PRAGMA application_id = %d;",
                                                     from, DERM_STORE_APPLICATION_ID);
          g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
        }
      sqlite3_close (db);

      store = derm_store_open (dir, &error);
      g_assert_no_error (error);
      g_assert_cmpint (derm_store_get_schema_version (store), ==, DERM_STORE_SCHEMA_VERSION);
      g_assert_cmpint (sql_int (derm_store_get_db (store), "PRAGMA user_version"), ==, DERM_STORE_SCHEMA_VERSION);

      if (from >= 1)
        {
          g_autoptr (DermClient) c = derm_store_get_client (store, 7, &error);
          g_autoptr (DermScreening) s = NULL;
          g_autoptr (GPtrArray) sessions = NULL;

          g_assert_no_error (error);
          g_assert_cmpstr (derm_client_get_name (c), ==, "Old Client");
          g_assert_cmpint (derm_client_get_concerns (c), ==, DERM_CONCERN_TEXTURE | DERM_CONCERN_REDNESS);
          g_assert_cmpstr (derm_client_get_last_visit (c), ==, "2025-02-01");
          s = derm_store_get_latest_screening (store, 7, &error);
          g_assert_no_error (error);
          g_assert_cmpint (derm_screening_get_answer (s, DERM_QUESTION_ISOTRETINOIN), ==, DERM_ANSWER_YES);
          g_assert_cmpstr (derm_screening_get_date_for (s, DERM_QUESTION_ISOTRETINOIN), ==, "2024-12-01");
          sessions = derm_store_list_treatments (store, 7, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (sessions->len, ==, 1);
          g_assert_cmpfloat_with_epsilon (derm_treatment_get_depth_mm (g_ptr_array_index (sessions, 0), 0), 0.5, 1e-9);
        }

      if (from >= 11 && from < 14)
        {
          g_autoptr (DermClinic) clinic = derm_store_load_clinic (store, &error);
          const char * const expected[] = { "Ana", "Bea", NULL };
          g_autofree char *hours = NULL;
          g_auto (GStrv) leave = NULL;

          g_assert_no_error (error);
          g_assert_true (g_strv_equal (derm_clinic_get_practitioners (clinic), expected));
          hours = derm_clinic_dup_practitioner_hours_string (clinic, "Bea", G_DATE_MONDAY);
          g_assert_cmpstr (hours, ==, "09:00-13:00");
          leave = derm_clinic_dup_practitioner_leave (clinic, "Bea");
          g_assert_cmpuint (g_strv_length (leave), ==, 1);
          g_assert_cmpstr (leave[0], ==, "2027-02-01");
          /* keyed by id now; the unlisted name's rows were dropped */
          g_assert_cmpint (sql_int (derm_store_get_db (store), "SELECT count(*) FROM practitioner_hours h "
                                    "JOIN practitioners p ON p.id = h.practitioner_id WHERE p.name = 'Bea'"), ==, 1);
          g_assert_cmpint (sql_int (derm_store_get_db (store), "SELECT count(*) FROM practitioner_leave"), ==, 1);
        }

      /* the migrated store works: it can write and audit */
      derm_test_add_client (store, "New Client");
      {
        g_autoptr (GPtrArray) audit = derm_store_list_audit (store, 10, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (audit->len, ==, 1);
      }
    }
}

static void
assert_left_untouched (const char *path,
                       const char *contents,
                       gsize       length)
{
  g_autofree char *after = NULL;
  gsize after_len = 0;

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, contents, length);
}

static void
test_refuse_foreign_text (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *dir = data_dir (f);
  g_autofree char *path = db_path (f);
  const char *text = "These are my shopping notes, not a database.\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  store = derm_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "untouched"));
  assert_left_untouched (path, text, strlen (text));
}

static void
test_refuse_other_sqlite (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *dir = data_dir (f);
  g_autofree char *path = db_path (f);
  g_autofree char *before = NULL;
  gsize before_len;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;
  sqlite3 *db = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT);"
                                     "INSERT INTO recipes (title) VALUES ('bread');", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  store = derm_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN);
  assert_left_untouched (path, before, before_len);
}

static void
test_refuse_corrupt (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = db_path (f);
  g_autofree char *dir = data_dir (f);
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;

  {
    g_autoptr (DermStore) good = open_store (f);
    for (guint i = 0; i < 300; i++)
      {
        g_autofree char *name = g_strdup_printf ("Client %u with a reasonably long name to fill pages", i);
        derm_test_add_client (good, name);
      }
    /* checkpoint so everything is in the main file */
    g_assert_cmpint (sqlite3_exec (derm_store_get_db (good), "PRAGMA wal_checkpoint(TRUNCATE)",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  }

  /* scribble over the middle pages, keep the header */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 4096 * 4);
  for (gsize i = 4096 * 2; i < len - 4096; i++)
    contents[i] = (char) (i * 7919 % 251);
  g_assert_true (g_file_set_contents (path, contents, len, NULL));

  store = derm_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "backup"));
  assert_left_untouched (path, contents, len);
}

static void
test_refuse_too_new (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *dir = data_dir (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;

  {
    g_autoptr (DermStore) s = open_store (f);
    g_assert_cmpint (sqlite3_exec (derm_store_get_db (s), "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  }
  store = derm_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_TOO_NEW);
}

static void
test_refuse_data_dir_is_file (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *dir = data_dir (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = NULL;

  g_assert_true (g_file_set_contents (dir, "x", 1, NULL));
  store = derm_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_READ_ONLY);
}

/* --- clients ----------------------------------------------------------- */

static void
test_client_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);

  for (guint i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      g_autoptr (DermClient) c = derm_client_new ();
      g_autoptr (DermClient) back = NULL;
      g_autoptr (GError) error = NULL;

      derm_client_set_name (c, nasty[i]);
      derm_client_set_date_of_birth (c, "1988-02-29");
      derm_client_set_phone (c, "+44 (0)20 7946-0958");
      derm_client_set_email (c, "o'brien+test@example.org");
      derm_client_set_fitzpatrick (c, 1 + i);
      derm_client_set_concerns (c, DERM_CONCERN_ACNE_SCARS | DERM_CONCERN_DULLNESS);
      derm_client_set_goals (c, nasty[(i + 1) % G_N_ELEMENTS (nasty)]);
      derm_client_set_notes (c, nasty[(i + 2) % G_N_ELEMENTS (nasty)]);

      g_assert_true (derm_store_add_client (store, c, &error));
      g_assert_no_error (error);
      g_assert_nonnull (derm_client_get_created_at (c));

      back = derm_store_get_client (store, derm_client_get_id (c), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (derm_client_get_name (back), ==, nasty[i]);
      g_assert_cmpstr (derm_client_get_date_of_birth (back), ==, "1988-02-29");
      g_assert_cmpstr (derm_client_get_phone (back), ==, "+44 (0)20 7946-0958");
      g_assert_cmpstr (derm_client_get_email (back), ==, "o'brien+test@example.org");
      g_assert_cmpuint (derm_client_get_fitzpatrick (back), ==, 1 + i);
      g_assert_cmpint (derm_client_get_concerns (back), ==, DERM_CONCERN_ACNE_SCARS | DERM_CONCERN_DULLNESS);
      g_assert_cmpstr (derm_client_get_goals (back), ==, nasty[(i + 1) % G_N_ELEMENTS (nasty)]);
      g_assert_cmpstr (derm_client_get_notes (back), ==, nasty[(i + 2) % G_N_ELEMENTS (nasty)]);
      g_assert_false (derm_client_get_archived (back));
      g_assert_cmpstr (derm_client_get_created_at (back), ==, derm_client_get_created_at (c));
      g_assert_null (derm_client_get_last_visit (back));
    }

  /* the metacharacters did nothing to the schema */
  g_assert_cmpint (sql_int (derm_store_get_db (store), "SELECT count(*) FROM clients"), ==, G_N_ELEMENTS (nasty));
}

static void
test_client_update_and_audit (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (DermClient) c = make_client ("Ada Lovelace");
  g_autoptr (DermClient) back = NULL;
  g_autoptr (GPtrArray) audit = NULL;
  g_autoptr (GError) error = NULL;
  const char *action, *entity, *user, *fields;
  gint64 at, id;

  derm_client_set_notes (c, "first note");
  g_assert_true (derm_store_add_client (store, c, NULL));

  derm_client_set_notes (c, "takes isotretinoin: secret health detail");
  derm_client_set_phone (c, "0123 456 789");
  g_assert_true (derm_store_update_client (store, c, &error));
  g_assert_no_error (error);

  back = derm_store_get_client (store, derm_client_get_id (c), NULL);
  g_assert_cmpstr (derm_client_get_notes (back), ==, "takes isotretinoin: secret health detail");
  g_assert_cmpstr (derm_client_get_phone (back), ==, "0123 456 789");

  audit = derm_store_list_audit (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 2);
  g_variant_get (g_ptr_array_index (audit, 0), "(x&s&s&sx&s)", &at, &user, &action, &entity, &id, &fields);
  g_assert_cmpstr (action, ==, "update");
  g_assert_cmpstr (entity, ==, "client");
  g_assert_cmpint (id, ==, derm_client_get_id (c));
  g_assert_cmpstr (fields, ==, "phone,notes");
  g_assert_cmpstr (user, ==, g_get_user_name ());
  g_assert_cmpint (at, >, 1700000000);

  /* no health detail anywhere in the audit table */
  g_assert_cmpint (sql_int (derm_store_get_db (store),
                            "SELECT count(*) FROM audit_log WHERE fields LIKE '%isotretinoin%' "
                            "OR os_user LIKE '%secret%'"), ==, 0);

  /* an update that changes nothing is not audited */
  g_assert_true (derm_store_update_client (store, c, NULL));
  g_clear_pointer (&audit, g_ptr_array_unref);
  audit = derm_store_list_audit (store, 0, NULL);
  g_assert_cmpuint (audit->len, ==, 2);
}

static void
test_client_invalid_writes_nothing (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (DermClient) c = make_client ("   ");
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autoptr (DermClient) missing = NULL;

  g_assert_false (derm_store_add_client (store, c, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED);
  g_assert_cmpint (sql_int (derm_store_get_db (store), "SELECT count(*) FROM clients"), ==, 0);
  g_assert_cmpint (sql_int (derm_store_get_db (store), "SELECT count(*) FROM audit_log"), ==, 0);

  missing = derm_store_get_client (store, 4242, &error2);
  g_assert_null (missing);
  g_assert_error (error2, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
}

static void
test_client_archive_and_list (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (GPtrArray) active = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  gint64 b;

  derm_test_add_client (store, "charlie");
  b = derm_test_add_client (store, "Bravo");
  derm_test_add_client (store, "alpha");

  g_assert_true (derm_store_set_client_archived (store, b, TRUE, &error));
  g_assert_no_error (error);

  active = derm_store_list_clients (store, FALSE, &error);
  g_assert_cmpuint (active->len, ==, 2);
  /* sorted by name, case-insensitively */
  g_assert_cmpstr (derm_client_get_name (g_ptr_array_index (active, 0)), ==, "alpha");
  g_assert_cmpstr (derm_client_get_name (g_ptr_array_index (active, 1)), ==, "charlie");

  all = derm_store_list_clients (store, TRUE, &error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_true (derm_client_get_archived (g_ptr_array_index (all, 1)));

  /* The name order comes from the clients_by_name index, not from a sort
   * of every row (a quarter of a 10,000-client list's time) */
  {
    sqlite3 *db = derm_store_get_db (store);
    gboolean found = FALSE;

    for (sqlite3_stmt *stmt = sqlite3_next_stmt (db, NULL); stmt != NULL; stmt = sqlite3_next_stmt (db, stmt))
      if (strstr (sqlite3_sql (stmt), "ORDER BY c.name COLLATE NOCASE") != NULL)
        {
          found = TRUE;
          g_assert_cmpint (sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_SORT, FALSE), ==, 0);
          g_assert_cmpint (sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_RUN, FALSE), >=, 2);
        }
    g_assert_true (found);
  }

  g_assert_false (derm_store_set_client_archived (store, 99999, TRUE, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
}

static void
list_ready (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = derm_store_list_clients_finish (DERM_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_client_list_async (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (GPtrArray) list = NULL;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("Client %02u", i);
      derm_test_add_client (store, name);
    }

  derm_store_list_clients_async (store, FALSE, NULL, list_ready, &list);
  while (list == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (list->len, ==, 50);
  g_assert_cmpstr (derm_client_get_name (g_ptr_array_index (list, 49)), ==, "Client 49");
}

static char *
days_from_today (const GDate *today,
                 int          days)
{
  GDate d = *today;

  g_date_subtract_days (&d, (guint) -days);
  return derm_date_format (&d);
}

static void
collect_client_row (const DermClientListRow *row,
                    gpointer                 user_data)
{
  DermClient *client = derm_client_new ();

  derm_client_set_id (client, row->id);
  derm_client_set_name (client, row->name);
  derm_client_set_phone (client, row->phone);
  derm_client_set_email (client, row->email);
  derm_client_set_last_visit (client, row->last_visit);
  derm_client_set_do_not_treat (client, row->do_not_treat);
  derm_client_set_archived (client, row->archived);
  g_ptr_array_add (user_data, client);
}

/* The client list's Do Not Treat badge (one query over the "yes" answers
 * to the contraindication questions) says, with the same text, what the
 * client page's findings say: the full rules on the latest screening, by
 * date then by id. Clients vary: never screened, archived, several
 * screenings (an older or same-day earlier one contraindicated, the latest
 * not, and the other way round), every answer yes, no or unknown,
 * isotretinoin dates on both sides of its window. */
static void
test_client_list_do_not_treat_matches_page (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (GRand) rand = g_rand_new_with_seed (12);
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GError) error = NULL;
  const int ago[] = { 0, 1, 4, 5, 6, 30, 150, 181, 182, 183, 184, 185, 400 };
  guint n_badges = 0;
  GDate today;

  derm_date_today (&today);
  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("Client %03u", i);
      gint64 id = derm_test_add_client (store, name);
      guint n_screenings = (guint) g_rand_int_range (rand, 0, 4);

      if (i % 5 == 1)
        {
          g_autoptr (DermClient) client = derm_store_get_client (store, id, &error);
          g_autofree char *date = days_from_today (&today, -(int) i);

          g_assert_no_error (error);
          derm_client_set_phone (client, "+44 20 7946 0000");
          derm_client_set_email (client, "client@example.org");
          g_assert_true (derm_store_update_client (store, client, &error));
          g_assert_no_error (error);
          derm_test_add_session (store, id, date);
        }
      for (guint k = 0; k < n_screenings; k++)
        {
          g_autoptr (DermScreening) s = derm_screening_new ();
          /* Few distinct days, so same-day screenings (latest by id) occur */
          g_autofree char *date = days_from_today (&today, -ago[g_rand_int_range (rand, 0, 4)]);

          derm_screening_set_client_id (s, id);
          derm_screening_set_date (s, date);
          for (guint q = 0; q < DERM_N_QUESTIONS; q++)
            {
              guint pick = (guint) g_rand_int_range (rand, 0, 12);

              derm_screening_set_answer (s, q, pick < 2 ? DERM_ANSWER_YES
                                               : pick < 10 ? DERM_ANSWER_NO : DERM_ANSWER_UNKNOWN);
              if (g_rand_boolean (rand))
                derm_screening_set_details (s, q, "as told");
              if (derm_question_has_date (q) && g_rand_int_range (rand, 0, 4) > 0)
                {
                  g_autofree char *when =
                    days_from_today (&today, -ago[g_rand_int_range (rand, 0, G_N_ELEMENTS (ago))]);

                  derm_screening_set_date_for (s, q, when);
                }
            }
          g_assert_true (derm_store_add_screening (store, s, &error));
          g_assert_no_error (error);
        }
      if (i % 7 == 3)
        {
          g_assert_true (derm_store_set_client_archived (store, id, TRUE, &error));
          g_assert_no_error (error);
        }
    }

  clients = derm_store_list_clients (store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 150);
  for (guint i = 0; i < clients->len; i++)
    {
      DermClient *client = g_ptr_array_index (clients, i);
      g_autoptr (DermScreening) latest = derm_store_get_latest_screening (store, derm_client_get_id (client), &error);
      g_autoptr (GPtrArray) findings = NULL;
      const char *expected = NULL;

      g_assert_no_error (error);
      findings = derm_screening_evaluate (latest, NULL);
      for (guint j = 0; j < findings->len && expected == NULL; j++)
        if (derm_finding_get_severity (g_ptr_array_index (findings, j)) == DERM_SEVERITY_CONTRAINDICATION)
          expected = derm_finding_get_reason (g_ptr_array_index (findings, j));
      g_assert_cmpstr (derm_client_get_do_not_treat (client), ==, expected);
      n_badges += expected != NULL;
    }
  /* Both answers occur, often */
  g_assert_cmpuint (n_badges, >, 20);
  g_assert_cmpuint (n_badges, <, 130);

  /* dermis-cli's plain list reads rows, not objects: the same clients in
   * the same order, field for field, with and without the archived */
  for (int archived = 0; archived <= 1; archived++)
    {
      g_autoptr (GPtrArray) listed = derm_store_list_clients (store, archived, &error);
      g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

      g_assert_no_error (error);
      g_assert_true (derm_store_foreach_client (store, archived, collect_client_row, rows, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, listed->len);
      for (guint i = 0; i < listed->len; i++)
        {
          DermClient *a = g_ptr_array_index (listed, i), *b = g_ptr_array_index (rows, i);

          g_assert_cmpint (derm_client_get_id (a), ==, derm_client_get_id (b));
          g_assert_cmpstr (derm_client_get_name (a), ==, derm_client_get_name (b));
          g_assert_cmpstr (derm_client_get_phone (a), ==, derm_client_get_phone (b));
          g_assert_cmpstr (derm_client_get_email (a), ==, derm_client_get_email (b));
          g_assert_cmpstr (derm_client_get_last_visit (a), ==, derm_client_get_last_visit (b));
          g_assert_cmpstr (derm_client_get_do_not_treat (a), ==, derm_client_get_do_not_treat (b));
          g_assert_cmpint (derm_client_get_archived (a), ==, derm_client_get_archived (b));
        }
    }
}

static void
test_client_delete_cascades (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (DermTreatment) t = derm_treatment_new ();
  g_autoptr (DermScreening) s = derm_screening_new ();
  g_autoptr (GError) error = NULL;
  gint64 id = derm_test_add_client (store, "To Be Deleted");
  sqlite3 *db = derm_store_get_db (store);

  derm_treatment_set_client_id (t, id);
  derm_treatment_set_date (t, "2026-01-10");
  derm_treatment_set_depth (t, "forehead", 0.5);
  g_assert_true (derm_store_add_treatment (store, t, NULL));
  derm_screening_set_client_id (s, id);
  derm_screening_set_date (s, "2026-01-10");
  g_assert_true (derm_store_add_screening (store, s, NULL));

  g_assert_true (derm_store_delete_client (store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM clients"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM treatments"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM treatment_depths"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM screenings"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM screening_answers"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM audit_log WHERE action = 'delete'"), ==, 1);

  g_assert_false (derm_store_delete_client (store, id, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
}

/* --- screenings and sessions ------------------------------------------- */

static void
test_screening_round_trip (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (DermScreening) older = derm_screening_new ();
  g_autoptr (DermScreening) newer = derm_screening_new ();
  g_autoptr (DermScreening) latest = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id = derm_test_add_client (store, "Screened");

  g_assert_null (derm_store_get_latest_screening (store, id, &error));
  g_assert_no_error (error);

  derm_screening_set_client_id (older, id);
  derm_screening_set_date (older, "2026-01-05");
  g_assert_true (derm_store_add_screening (store, older, &error));
  g_assert_no_error (error);

  derm_screening_set_client_id (newer, id);
  derm_screening_set_date (newer, "2026-11-01");
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      derm_screening_set_answer (newer, q, q % 3);
      derm_screening_set_details (newer, q, nasty[q % G_N_ELEMENTS (nasty)]);
    }
  derm_screening_set_date_for (newer, DERM_QUESTION_ISOTRETINOIN, "2026-06-30");
  derm_screening_set_date_for (newer, DERM_QUESTION_CONSENT, "2026-11-01");
  g_assert_true (derm_store_add_screening (store, newer, &error));
  g_assert_no_error (error);

  latest = derm_store_get_latest_screening (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_screening_get_id (latest), ==, derm_screening_get_id (newer));
  g_assert_cmpstr (derm_screening_get_date (latest), ==, "2026-11-01");
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      g_assert_cmpint (derm_screening_get_answer (latest, q), ==, (DermAnswer) (q % 3));
      g_assert_cmpstr (derm_screening_get_details (latest, q), ==, nasty[q % G_N_ELEMENTS (nasty)]);
    }
  g_assert_cmpstr (derm_screening_get_date_for (latest, DERM_QUESTION_ISOTRETINOIN), ==, "2026-06-30");
  g_assert_cmpstr (derm_screening_get_date_for (latest, DERM_QUESTION_CONSENT), ==, "2026-11-01");
  g_assert_null (derm_screening_get_date_for (latest, DERM_QUESTION_TOPICAL_RETINOIDS));

  all = derm_store_list_screenings (store, id, &error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (derm_screening_get_date (g_ptr_array_index (all, 1)), ==, "2026-01-05");

  /* a screening for nobody is refused */
  {
    g_autoptr (DermScreening) orphan = derm_screening_new ();
    g_autoptr (GError) e = NULL;
    derm_screening_set_client_id (orphan, 31337);
    derm_screening_set_date (orphan, "2026-11-01");
    g_assert_false (derm_store_add_screening (store, orphan, &e));
    g_assert_error (e, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  }
}

static void
test_treatment_round_trip (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (DermTreatment) t = derm_treatment_new ();
  g_autoptr (DermTreatment) back = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id = derm_test_add_client (store, "Treated");

  derm_treatment_set_client_id (t, id);
  derm_treatment_set_date (t, "2026-10-20");
  derm_treatment_set_practitioner (t, nasty[0]);
  derm_treatment_set_areas (t, nasty[1]);
  derm_treatment_set_device (t, "Dermapen 4");
  derm_treatment_set_cartridge_lot (t, "LOT-2026/10'A");
  derm_treatment_set_passes (t, 3);
  derm_treatment_set_topical (t, nasty[2]);
  derm_treatment_set_anaesthetic (t, "EMLA 5% (30 min)");
  derm_treatment_set_immediate_response (t, nasty[3]);
  derm_treatment_set_aftercare_given (t, TRUE);
  derm_treatment_set_notes (t, nasty[4]);
  derm_treatment_set_depth (t, "forehead", 0.5);
  derm_treatment_set_depth (t, "left cheek", 1.5);
  derm_treatment_set_depth (t, "nose", 0.25);
  g_assert_true (derm_store_add_treatment (store, t, &error));
  g_assert_no_error (error);

  back = derm_store_get_treatment (store, derm_treatment_get_id (t), &error);
  g_assert_no_error (error);
  g_assert_cmpint (derm_treatment_get_client_id (back), ==, id);
  g_assert_cmpstr (derm_treatment_get_date (back), ==, "2026-10-20");
  g_assert_cmpstr (derm_treatment_get_practitioner (back), ==, nasty[0]);
  g_assert_cmpstr (derm_treatment_get_areas (back), ==, nasty[1]);
  g_assert_cmpstr (derm_treatment_get_device (back), ==, "Dermapen 4");
  g_assert_cmpstr (derm_treatment_get_cartridge_lot (back), ==, "LOT-2026/10'A");
  g_assert_cmpuint (derm_treatment_get_passes (back), ==, 3);
  g_assert_cmpstr (derm_treatment_get_topical (back), ==, nasty[2]);
  g_assert_cmpstr (derm_treatment_get_anaesthetic (back), ==, "EMLA 5% (30 min)");
  g_assert_cmpstr (derm_treatment_get_immediate_response (back), ==, nasty[3]);
  g_assert_true (derm_treatment_get_aftercare_given (back));
  g_assert_cmpstr (derm_treatment_get_notes (back), ==, nasty[4]);
  g_assert_cmpuint (derm_treatment_get_n_depths (back), ==, 3);
  g_assert_cmpstr (derm_treatment_get_depth_zone (back, 1), ==, "left cheek");
  g_assert_cmpfloat_with_epsilon (derm_treatment_get_depth_mm (back, 1), 1.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (derm_treatment_get_depth_mm (back, 2), 0.25, 1e-12);

  client = derm_store_get_client (store, id, NULL);
  g_assert_cmpstr (derm_client_get_last_visit (client), ==, "2026-10-20");

  /* update: one depth removed, one changed */
  derm_treatment_remove_depth (back, "nose");
  derm_treatment_set_depth (back, "forehead", 0.75);
  g_assert_true (derm_store_update_treatment (store, back, &error));
  g_assert_no_error (error);
  list = derm_store_list_treatments (store, id, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpuint (derm_treatment_get_n_depths (g_ptr_array_index (list, 0)), ==, 2);
  g_assert_cmpfloat_with_epsilon (derm_treatment_get_depth_mm (g_ptr_array_index (list, 0), 0), 0.75, 1e-12);

  /* an out-of-range depth is refused and the stored one is kept */
  derm_treatment_set_depth (back, "forehead", 4.0);
  g_assert_false (derm_store_update_treatment (store, back, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_clear_object (&back);
  back = derm_store_get_treatment (store, derm_treatment_get_id (t), NULL);
  g_assert_cmpfloat_with_epsilon (derm_treatment_get_depth_mm (back, 0), 0.75, 1e-12);

  g_assert_true (derm_store_delete_treatment (store, derm_treatment_get_id (t), &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (derm_store_get_db (store), "SELECT count(*) FROM treatment_depths"), ==, 0);
}

/* --- failures ---------------------------------------------------------- */

static void
test_full_disk (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *big = g_strnfill (9000, 'x');
  g_autofree char *path = db_path (f);
  sqlite3 *db = derm_store_get_db (store);
  g_autofree char *limit = NULL;
  guint saved = 0;

  for (guint i = 0; i < 5; i++)
    derm_test_add_client (store, "Before the disk filled up");

  /* Cap the file at its current size plus a little: the "disk" fills */
  limit = g_strdup_printf ("PRAGMA max_page_count = %d", sql_int (db, "PRAGMA page_count") + 3);
  g_assert_cmpint (sqlite3_exec (db, limit, NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr (DermClient) c = make_client ("Big notes");
      derm_client_set_notes (c, big);
      if (!derm_store_add_client (store, c, &error))
        break;
      saved++;
    }
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_cmpuint (saved, <, 100);

  /* everything committed before is there, the failed one is not half there */
  list = derm_store_list_clients (store, TRUE, NULL);
  g_assert_cmpuint (list->len, ==, 5 + saved);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM audit_log"), ==, (int) (5 + saved));
  g_clear_object (&store);
  assert_integrity (path);
}

static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClient) c = make_client ("Waiting");
  g_autofree char *path = db_path (f);
  sqlite3 *other = NULL;

  /* another process holds the write lock */
  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  derm_store_set_busy_timeout (store, 50);
  g_assert_false (derm_store_add_client (store, c, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "try again"));
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  g_assert_true (derm_store_add_client (store, c, &error));
  g_assert_no_error (error);
}

static gpointer
add_client_thread (gpointer data)
{
  DermStore *store = data;
  g_autoptr (DermClient) c = make_client ("Patient");
  g_autoptr (GError) error = NULL;

  if (!derm_store_add_client (store, c, &error))
    return g_strdup (error->message);
  return NULL;
}

/* A write waiting for another process's lock does not hold up reads of
 * the same store (the window reads while its own save waits), and goes
 * through once the lock is released */
static void
test_locked_write_waits_alone (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = db_path (f);
  g_autofree char *failure = NULL;
  sqlite3 *other = NULL;
  GThread *writer;
  gint64 start;

  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE; INSERT INTO audit_log (at, os_user, action, entity, entity_id) "
                                 "VALUES (0, 'other', 'test', 'client', 0)", NULL, NULL, NULL), ==, SQLITE_OK);

  derm_store_set_busy_timeout (store, 20000);
  writer = g_thread_new ("writer", add_client_thread, store);

  /* the writer is waiting: each read still answers at once */
  for (int i = 0; i < 5; i++)
    {
      g_usleep (20000);
      start = g_get_monotonic_time ();
      list = derm_store_list_clients (store, TRUE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, 0);
      g_clear_pointer (&list, g_ptr_array_unref);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 1000000);
    }

  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  failure = g_thread_join (writer);
  g_assert_null (failure);
  list = derm_store_list_clients (store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
}

/* --- several processes ------------------------------------------------- */

/* Child-process modes, entered from main() before g_test_init. */
static int
writer_main (const char *dir,
             const char *mode,
             int         count)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermStore) store = derm_store_open (dir, &error);
  gint64 client_id;

  if (store == NULL)
    {
      g_printerr ("writer: %s\n", error->message);
      return 1;
    }

  if (g_str_equal (mode, "clients"))
    {
      for (int i = 0; i < count; i++)
        {
          g_autoptr (DermClient) c = make_client ("Concurrent");
          if (!derm_store_add_client (store, c, &error))
            {
              g_printerr ("writer: %s\n", error->message);
              return 1;
            }
        }
      return 0;
    }

  /* "forever": write multi-row transactions until killed */
  client_id = derm_test_add_client (store, "Crash Test");
  for (guint i = 0; ; i++)
    {
      g_autoptr (DermTreatment) t = derm_treatment_new ();
      g_autoptr (DermScreening) s = derm_screening_new ();

      derm_treatment_set_client_id (t, client_id);
      derm_treatment_set_date (t, "2026-01-01");
      derm_treatment_set_notes (t, "x");
      for (guint z = 0; z < 5; z++)
        {
          g_autofree char *zone = g_strdup_printf ("zone %u", z);
          derm_treatment_set_depth (t, zone, 0.5 + z * 0.25);
        }
      if (!derm_store_add_treatment (store, t, &error))
        return 1;

      derm_screening_set_client_id (s, client_id);
      derm_screening_set_date (s, "2026-01-01");
      if (!derm_store_add_screening (store, s, &error))
        return 1;
    }
}

static char *self_exe;

static void
test_two_processes (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = data_dir (f);
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GPtrArray) list = NULL;
  const int per_child = 150;
  GPid pids[2];

  /* create the database first, so both children open an existing one */
  g_clear_object (&store);
  store = open_store (f);
  g_clear_object (&store);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *count = g_strdup_printf ("%d", per_child);
      const char *argv[] = { self_exe, "--writer", dir, "clients", count, NULL };

      g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                    NULL, NULL, &pids[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 2; i++)
    {
      int status = 0;
      g_assert_cmpint (waitpid (pids[i], &status, 0), ==, pids[i]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      g_spawn_close_pid (pids[i]);
    }

  store = open_store (f);
  list = derm_store_list_clients (store, TRUE, NULL);
  g_assert_cmpuint (list->len, ==, 2 * per_child);
  g_assert_cmpint (sql_int (derm_store_get_db (store), "SELECT count(DISTINCT id) FROM clients"), ==, 2 * per_child);
}

static void
test_killed_mid_write (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *dir = data_dir (f);
  g_autofree char *path = db_path (f);
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint total_treatments = 0;

  for (guint round = 0; round < 8; round++)
    {
      const char *argv[] = { self_exe, "--writer", dir, "forever", "0", NULL };
      g_autoptr (GError) error = NULL;
      g_autoptr (DermStore) store = NULL;
      int status = 0;
      GPid pid;
      sqlite3 *db;

      g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                    NULL, NULL, &pid, &error));
      g_assert_no_error (error);
      g_usleep (g_rand_int_range (rand, 150, 600) * 1000);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
      g_spawn_close_pid (pid);

      assert_integrity (path);

      /* each transaction is whole or absent */
      store = open_store (f);
      db = derm_store_get_db (store);
      g_assert_cmpint (sql_int (db, "SELECT count(*) FROM treatments t WHERE "
                                    "(SELECT count(*) FROM treatment_depths d WHERE d.treatment_id = t.id) != 5"), ==, 0);
      g_assert_cmpint (sql_int (db, "SELECT count(*) FROM screenings s WHERE "
                                    "(SELECT count(*) FROM screening_answers a WHERE a.screening_id = s.id) != 12"), ==, 0);
      g_assert_cmpint (sql_int (db, "SELECT count(*) FROM treatments"), ==,
                       sql_int (db, "SELECT count(*) FROM audit_log WHERE entity = 'treatment'"));
      g_assert_cmpint (sql_int (db, "SELECT count(*) FROM screenings"), ==,
                       sql_int (db, "SELECT count(*) FROM audit_log WHERE entity = 'screening'"));
      total_treatments = (guint) sql_int (db, "SELECT count(*) FROM treatments");
    }

  g_test_message ("%u sessions written across 8 killed writers", total_treatments);
  /* the writers did get work done between kills */
  g_assert_cmpuint (total_treatments, >, 8);
}

static void
test_integrity_check_when_needed (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *path = db_path (f);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr (DermStore) store = NULL;

  /* new file: nothing to check; a clean close records it as good */
  store = open_store (f);
  g_assert_false (derm_store_get_integrity_checked (store));
  derm_test_add_client (store, "Known Good");
  g_clear_object (&store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* unchanged since a clean close: no full check */
  store = open_store (f);
  g_assert_false (derm_store_get_integrity_checked (store));

  /* a session that only read leaves the record alone (no fsyncs on
   * closing); one that wrote records the new file with the time of the
   * last check, so a file in daily use is still checked weekly */
  {
    g_autofree char *verified = g_strconcat (path, "-verified", NULL);
    g_autofree char *before = NULL, *after = NULL;
    g_autoptr (GPtrArray) list = NULL;
    GStatBuf st_before, st_after;

    g_assert_true (g_file_get_contents (verified, &before, NULL, NULL));
    g_assert_cmpint (g_stat (verified, &st_before), ==, 0);
    list = derm_store_list_clients (store, TRUE, NULL);
    g_assert_cmpuint (list->len, ==, 1);
    g_clear_object (&store);
    g_assert_cmpint (g_stat (verified, &st_after), ==, 0);
    g_assert_cmpuint (st_before.st_ino, ==, st_after.st_ino);

    store = open_store (f);
    g_assert_false (derm_store_get_integrity_checked (store));
    derm_test_add_client (store, "Written Since");
    g_clear_object (&store);
    g_assert_true (g_file_get_contents (verified, &after, NULL, NULL));
    g_assert_cmpstr (after, !=, before);
    g_assert_cmpstr (strrchr (after, ' '), ==, strrchr (before, ' '));
    store = open_store (f);
    g_assert_false (derm_store_get_integrity_checked (store));
  }

  /* a second connection that is never closed, as in a crash: its write
   * stays in the WAL, and the next opening checks the file */
  {
    sqlite3 *crashed = NULL;
    g_assert_cmpint (sqlite3_open (path, &crashed), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (crashed, "PRAGMA journal_mode = WAL; "
                                   "INSERT INTO audit_log (at, os_user, action, entity, entity_id) "
                                   "VALUES (1, 'x', 'create', 'client', 1)", NULL, NULL, NULL), ==, SQLITE_OK);
    g_clear_object (&store);   /* not the last connection: the WAL stays */
    g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
    store = open_store (f);
    g_assert_true (derm_store_get_integrity_checked (store));
    sqlite3_close (crashed);
  }
  g_clear_object (&store);

  /* changed behind our back (same size, new time): checked again */
  {
    g_autofree char *contents = NULL;
    gsize len;
    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    g_usleep (20000);
    g_assert_true (g_file_set_contents (path, contents, len, NULL));
  }
  store = open_store (f);
  g_assert_true (derm_store_get_integrity_checked (store));
}

static void
test_close_while_held (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (DermStore) store = open_store (f);
  g_autoptr (DermClient) late = make_client ("Too Late");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *path = db_path (f);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *verified = g_strconcat (path, "-verified", NULL);

  derm_test_add_client (store, "Before Shutdown");
  /* the application shuts down while a widget still holds the store */
  derm_store_close (store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (verified, G_FILE_TEST_EXISTS));

  g_assert_false (derm_store_add_client (store, late, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_IO);
  g_clear_error (&error);
  list = derm_store_list_clients (store, TRUE, &error);
  g_assert_null (list);
  g_assert_nonnull (error);
  derm_store_close (store);   /* twice is harmless */
  g_clear_object (&store);

  store = open_store (f);
  g_assert_false (derm_store_get_integrity_checked (store));
  list = derm_store_list_clients (store, TRUE, NULL);
  g_assert_cmpuint (list->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 5 && g_str_equal (argv[1], "--writer"))
    return writer_main (argv[2], argv[3], atoi (argv[4]));

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/open/private-dir-and-file", test_open_private);
  g_test_add_func ("/store/open/default-data-dir", test_default_data_dir);
  ADD ("/store/migrate/from-each-version", test_migrate_from_each_version);
  ADD ("/store/open/full-check-only-after-unclean-close", test_integrity_check_when_needed);
  ADD ("/store/open/close-while-held", test_close_while_held);
  ADD ("/store/refuse/foreign-text-file", test_refuse_foreign_text);
  ADD ("/store/refuse/other-sqlite-database", test_refuse_other_sqlite);
  ADD ("/store/refuse/corrupt", test_refuse_corrupt);
  ADD ("/store/refuse/too-new", test_refuse_too_new);
  ADD ("/store/refuse/data-dir-is-a-file", test_refuse_data_dir_is_file);
  ADD ("/store/client/round-trip", test_client_round_trip);
  ADD ("/store/client/update-and-audit", test_client_update_and_audit);
  ADD ("/store/client/invalid-writes-nothing", test_client_invalid_writes_nothing);
  ADD ("/store/client/archive-and-list", test_client_archive_and_list);
  ADD ("/store/client/list-async", test_client_list_async);
  ADD ("/store/client/list-do-not-treat-matches-page", test_client_list_do_not_treat_matches_page);
  ADD ("/store/client/delete-cascades", test_client_delete_cascades);
  ADD ("/store/screening/round-trip", test_screening_round_trip);
  ADD ("/store/treatment/round-trip", test_treatment_round_trip);
  ADD ("/store/failure/full-disk", test_full_disk);
  ADD ("/store/failure/locked", test_locked);
  ADD ("/store/failure/locked-write-waits-alone", test_locked_write_waits_alone);
  ADD ("/store/process/two-at-once", test_two_processes);
  ADD ("/store/process/killed-mid-write", test_killed_mid_write);

  {
    int ret = g_test_run ();
    g_free (self_exe);
    return ret;
  }
}
