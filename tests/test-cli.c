/* test-cli.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dermis-cli as a script sees it: spawned with --data-dir in a fresh
 * temporary directory, its JSON parsed back, its exit codes and the
 * stdout/stderr split checked. Never touches the user's data.
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "derm-cli-common.h"
#include "derm-photo-library.h"
#include "derm-test-utils.h"
#include "derm-validate.h"

typedef struct
{
  char *tmp_dir;
  char *data_dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->tmp_dir = derm_test_make_tmp_dir ("test-cli");
  f->data_dir = g_build_filename (f->tmp_dir, "data", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  derm_test_remove_tree (f->tmp_dir);
  g_assert_false (g_file_test (f->tmp_dir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&f->tmp_dir, g_free);
  g_clear_pointer (&f->data_dir, g_free);
}

static int
spawn_cli (const char * const *args,
           char              **envp,
           char              **out,
           char              **err)
{
  return derm_test_run_cli (args, envp, out, err);
}

/* Runs dermis-cli --data-dir <fixture> ARGS... (NULL-terminated) */
#define run_cli(f, out, err, ...) derm_test_run_cli_in ((f)->data_dir, out, err, __VA_ARGS__)

static void
assert_exit (int         status,
             int         expected,
             const char *out,
             const char *err)
{
  if (status != expected)
    g_test_message ("exit %d, expected %d\nstdout: %s\nstderr: %s", status, expected, out, err);
  g_assert_cmpint (status, ==, expected);
}

/* A failure: the expected code, one message on stderr, nothing on stdout */
static void
assert_failure (int         status,
                int         expected,
                const char *out,
                const char *err)
{
  assert_exit (status, expected, out, err);
  g_assert_cmpstr (out, ==, "");
  /* One line that says what is wrong */
  g_assert_true (g_str_has_prefix (err, "dermis-cli: "));
  g_assert_cmpuint (strlen (err), >, strlen ("dermis-cli: \n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));

  return json_node_copy (json_parser_get_root (parser));
}

/* NULL for a JSON null; fails the test for a missing member */
static const char *
get_string (JsonObject *object,
            const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  if (json_object_get_null_member (object, member))
    return NULL;

  return json_object_get_string_member (object, member);
}

static char *
date_months_from_today (int months)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) then = g_date_time_add_months (now, months);

  return g_date_time_format (then, "%Y-%m-%d");
}

/* Adds a client by name and returns the printed id */
static char *
add_client (Fixture    *f,
            const char *name)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = run_cli (f, &out, &err, "client", "add", "--name", name, NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_assert_true (g_regex_match_simple ("^[0-9]+\n$", out, 0, 0));
  g_strchomp (out);

  return g_steal_pointer (&out);
}

static void
test_client_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) added = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) shown = NULL;
  g_autoptr (JsonNode) updated = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;
  JsonArray *concerns;
  JsonArray *array;
  int status;

  status = run_cli (f, &out, &err, "client", "add", "--json",
                    "--name", "Anna Berg",
                    "--dob", "1985-03-14",
                    "--phone", "06 12 34 56 78",
                    "--email", "anna@example.com",
                    "--fitzpatrick", "iii",
                    "--concerns", "texture,acne-scars",
                    "--goals", "Smoother cheeks",
                    "--notes", "Prefers mornings",
                    NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  added = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (added));
  object = json_node_get_object (added);
  g_assert_cmpint (json_object_get_int_member (object, "id"), >, 0);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (object, "id"));
  g_assert_cmpstr (get_string (object, "name"), ==, "Anna Berg");
  g_assert_cmpstr (get_string (object, "date_of_birth"), ==, "1985-03-14");
  g_assert_cmpstr (get_string (object, "phone"), ==, "06 12 34 56 78");
  g_assert_cmpstr (get_string (object, "email"), ==, "anna@example.com");
  g_assert_cmpstr (get_string (object, "fitzpatrick"), ==, "III");
  concerns = json_object_get_array_member (object, "concerns");
  g_assert_cmpuint (json_array_get_length (concerns), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (concerns, 0), ==, "texture");
  g_assert_cmpstr (json_array_get_string_element (concerns, 1), ==, "acne-scars");
  g_assert_cmpstr (get_string (object, "goals"), ==, "Smoother cheeks");
  g_assert_cmpstr (get_string (object, "notes"), ==, "Prefers mornings");
  g_assert_false (json_object_get_boolean_member (object, "archived"));
  g_assert_nonnull (get_string (object, "created_at"));
  g_assert_nonnull (get_string (object, "updated_at"));
  g_assert_null (get_string (object, "last_visit"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "list", "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  list = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  array = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (get_string (object, "name"), ==, "Anna Berg");
  g_assert_cmpstr (get_string (object, "phone"), ==, "06 12 34 56 78");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Only the given fields change; an empty value clears one */
  status = run_cli (f, &out, &err, "client", "update", id, "--json",
                    "--phone", "07 00 00 00 01", "--notes", "", "--fitzpatrick", "5", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  updated = parse_json (out);
  object = json_node_get_object (updated);
  g_assert_cmpstr (get_string (object, "phone"), ==, "07 00 00 00 01");
  g_assert_null (get_string (object, "notes"));
  g_assert_cmpstr (get_string (object, "fitzpatrick"), ==, "V");
  g_assert_cmpstr (get_string (object, "name"), ==, "Anna Berg");
  g_assert_cmpstr (get_string (object, "email"), ==, "anna@example.com");
  g_assert_cmpstr (get_string (object, "date_of_birth"), ==, "1985-03-14");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "concerns")), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "show", id, "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  shown = parse_json (out);
  object = json_node_get_object (shown);
  g_assert_cmpstr (get_string (object, "phone"), ==, "07 00 00 00 01");
  g_assert_cmpstr (get_string (object, "goals"), ==, "Smoother cheeks");
  g_assert_cmpint (json_object_get_int_member (object, "session_count"), ==, 0);
  g_assert_null (get_string (object, "screening_date"));
  /* Never screened is itself a finding */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "findings")), >, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The text form is aligned label: value lines */
  status = run_cli (f, &out, &err, "client", "show", id, NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_assert_nonnull (strstr (out, "Anna Berg"));
  g_assert_nonnull (strstr (out, "07 00 00 00 01"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "archive", id, NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_clear_pointer (&list, json_node_unref);
  status = run_cli (f, &out, &err, "client", "list", "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  list = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_clear_pointer (&list, json_node_unref);
  status = run_cli (f, &out, &err, "client", "list", "--archived", "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  list = parse_json (out);
  array = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (array, 0), "archived"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_clear_pointer (&updated, json_node_unref);
  status = run_cli (f, &out, &err, "client", "archive", id, "--undo", "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  updated = parse_json (out);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (updated), "archived"));
}

static void
test_client_unicode_and_quotes (Fixture       *f,
                                gconstpointer  data)
{
  const char *names[] = {
    "Zoë O'Brien",
    "Robert \"Bobby\"; DROP TABLE clients;--",
    "Łucja Żółć-Świątek",
    "山田 花子",
    "Ana 💉 Lima",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *id = add_client (f, names[i]);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr (JsonNode) shown = NULL;
      int status;

      status = run_cli (f, &out, &err, "client", "show", id, "--json", NULL);
      assert_exit (status, DERM_EXIT_OK, out, err);
      shown = parse_json (out);
      g_assert_cmpstr (get_string (json_node_get_object (shown), "name"), ==, names[i]);
    }

  /* Every name is still there, and the table is not broken by them */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr (JsonNode) list = NULL;
    int status;

    status = run_cli (f, &out, &err, "client", "list", "--json", NULL);
    assert_exit (status, DERM_EXIT_OK, out, err);
    list = parse_json (out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, G_N_ELEMENTS (names));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    status = run_cli (f, &out, &err, "client", "list", NULL);
    assert_exit (status, DERM_EXIT_OK, out, err);
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      g_assert_nonnull (strstr (out, names[i]));
  }
}

static guint
count_search (Fixture    *f,
              const char *query,
              const char *expected_name)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) list = NULL;
  JsonArray *array;
  int status;

  status = run_cli (f, &out, &err, "client", "list", "--search", query, "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  list = parse_json (out);
  array = json_node_get_array (list);
  if (expected_name != NULL && json_array_get_length (array) > 0)
    g_assert_cmpstr (get_string (json_array_get_object_element (array, 0), "name"), ==, expected_name);

  return json_array_get_length (array);
}

static void
test_client_search_accents (Fixture       *f,
                            gconstpointer  data)
{
  g_free (add_client (f, "José Núñez"));
  g_free (add_client (f, "Zoë Ångström"));
  g_free (add_client (f, "John Smith"));
  g_free (add_client (f, "Søren Ødegård"));

  g_assert_cmpuint (count_search (f, "soren", "Søren Ødegård"), ==, 1);
  g_assert_cmpuint (count_search (f, "odegard", "Søren Ødegård"), ==, 1);
  g_assert_cmpuint (count_search (f, "jose", "José Núñez"), ==, 1);
  g_assert_cmpuint (count_search (f, "NUNEZ", "José Núñez"), ==, 1);
  g_assert_cmpuint (count_search (f, "zoe angstrom", "Zoë Ångström"), ==, 1);
  g_assert_cmpuint (count_search (f, "Ångström", "Zoë Ångström"), ==, 1);
  g_assert_cmpuint (count_search (f, "jo", NULL), ==, 2);
  g_assert_cmpuint (count_search (f, "nobody", NULL), ==, 0);
  g_assert_cmpuint (count_search (f, "", NULL), ==, 4);
}

static gboolean
has_finding (JsonArray  *findings,
             const char *severity,
             const char *code_part)
{
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      if (g_strcmp0 (get_string (finding, "severity"), severity) == 0 &&
          strstr (get_string (finding, "code"), code_part) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
test_screening_isotretinoin (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = add_client (f, "Anna Berg");
  g_autofree char *last_dose = date_months_from_today (-2);
  g_autofree char *dose_arg = g_strdup_printf ("isotretinoin=%s", last_dose);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) added = NULL;
  g_autoptr (JsonNode) shown = NULL;
  JsonObject *object;
  JsonObject *answer;
  int status;

  /* Text: the finding is printed straight after saving */
  status = run_cli (f, &out, &err, "screening", "add", id,
                    "--answer", "isotretinoin=yes", "--date-for", dose_arg,
                    "--answer", "allergies=yes", "--details", "allergies=lidocaine; latex",
                    NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_assert_nonnull (strstr (out, "Contraindication"));
  {
    /* Dates in messages are written for people, as everywhere */
    g_autofree char *dose_shown = derm_date_format_display (last_dose, FALSE);

    g_assert_nonnull (strstr (out, dose_shown));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "screening", "add", id, "--json",
                    "--answer", "isotretinoin=yes", "--date-for", dose_arg, NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  added = parse_json (out);
  object = json_node_get_object (added);
  g_assert_true (has_finding (json_object_get_array_member (object, "findings"),
                              "contraindication", "isotretinoin"));
  answer = json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (object, "screening"),
                                                                         "answers"),
                                          "isotretinoin");
  g_assert_cmpstr (get_string (answer, "answer"), ==, "yes");
  g_assert_cmpstr (get_string (answer, "date"), ==, last_dose);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "screening", "show", id, "--all", "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  shown = parse_json (out);
  object = json_node_get_object (shown);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "screenings")), ==, 2);
  g_assert_true (has_finding (json_object_get_array_member (object, "findings"),
                              "contraindication", "isotretinoin"));
  /* The oldest screening kept its details */
  answer = json_object_get_object_member (
    json_object_get_object_member (
      json_array_get_object_element (json_object_get_array_member (object, "screenings"), 1), "answers"),
    "allergies");
  g_assert_cmpstr (get_string (answer, "details"), ==, "lidocaine; latex");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The list says Do Not Treat, with the reason, in JSON and as text; a
   * client never screened is not marked */
  {
    g_autofree char *other = add_client (f, "Cleo Dahl");
    g_autoptr (JsonNode) list = NULL;
    JsonArray *clients;
    const char *reason = NULL;

    status = run_cli (f, &out, &err, "client", "list", "--json", NULL);
    assert_exit (status, DERM_EXIT_OK, out, err);
    list = parse_json (out);
    clients = json_node_get_array (list);
    g_assert_cmpuint (json_array_get_length (clients), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *client = json_array_get_object_element (clients, i);

        g_assert_true (json_object_has_member (client, "do_not_treat"));
        if (g_str_equal (get_string (client, "name"), "Anna Berg"))
          reason = get_string (client, "do_not_treat");
        else
          g_assert_null (get_string (client, "do_not_treat"));
      }
    g_assert_nonnull (reason);
    g_assert_nonnull (strstr (reason, "sotretinoin"));
    {
      g_autofree char *reason_copy = g_strdup (reason);

      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      status = run_cli (f, &out, &err, "client", "list", NULL);
      assert_exit (status, DERM_EXIT_OK, out, err);
      g_assert_nonnull (strstr (out, "Do Not Treat"));
      g_assert_nonnull (strstr (out, reason_copy));
    }
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* A year-old last dose no longer stops treatment */
  {
    g_autofree char *old_dose = date_months_from_today (-12);
    g_autofree char *old_arg = g_strdup_printf ("isotretinoin=%s", old_dose);
    g_autoptr (JsonNode) later = NULL;

    status = run_cli (f, &out, &err, "screening", "add", id, "--json",
                      "--answer", "isotretinoin=yes", "--date-for", old_arg, NULL);
    assert_exit (status, DERM_EXIT_OK, out, err);
    later = parse_json (out);
    g_assert_false (has_finding (json_object_get_array_member (json_node_get_object (later), "findings"),
                                 "contraindication", "isotretinoin"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    /* ... nor marks the client in the list */
    status = run_cli (f, &out, &err, "client", "list", NULL);
    assert_exit (status, DERM_EXIT_OK, out, err);
    g_assert_null (strstr (out, "sotretinoin"));
  }
}

static void
test_session_add_list (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = add_client (f, "Anna Berg");
  g_autofree char *today = date_months_from_today (0);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) shown = NULL;
  JsonObject *session;
  JsonArray *depths;
  int status;

  status = run_cli (f, &out, &err, "session", "add", id, "--date", today,
                    "--practitioner", "Dr Lind", "--areas", "full face",
                    "--depth", "forehead=0.5,left cheek=1.5",
                    "--device", "Dermapen 4", "--lot", "L-2231", "--passes", "3",
                    "--aftercare", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_assert_true (g_regex_match_simple ("^[0-9]+\n$", out, 0, 0));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "session", "list", id, "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  list = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  session = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (get_string (session, "date"), ==, today);
  g_assert_cmpstr (get_string (session, "practitioner"), ==, "Dr Lind");
  g_assert_cmpstr (get_string (session, "areas"), ==, "full face");
  g_assert_cmpstr (get_string (session, "device"), ==, "Dermapen 4");
  g_assert_cmpstr (get_string (session, "cartridge_lot"), ==, "L-2231");
  g_assert_cmpint (json_object_get_int_member (session, "passes"), ==, 3);
  g_assert_true (json_object_get_boolean_member (session, "aftercare_given"));
  g_assert_null (get_string (session, "topical"));
  depths = json_object_get_array_member (session, "depths");
  g_assert_cmpuint (json_array_get_length (depths), ==, 2);
  g_assert_cmpstr (get_string (json_array_get_object_element (depths, 0), "zone"), ==, "forehead");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (depths, 0), "mm"),
                                  0.5, 1e-9);
  g_assert_cmpstr (get_string (json_array_get_object_element (depths, 1), "zone"), ==, "left cheek");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_array_get_object_element (depths, 1), "mm"),
                                  1.5, 1e-9);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "session", "list", id, NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_assert_nonnull (strstr (out, "Dr Lind"));
  g_assert_nonnull (strstr (out, "left cheek"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "show", id, "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  shown = parse_json (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (shown), "session_count"), ==, 1);
  g_assert_cmpstr (get_string (json_node_get_object (shown), "last_visit"), ==, today);
}

static void
test_data_dir_placement (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_auto (GStrv) envp = NULL;
  int status;

  /* After the command */
  {
    const char *args[] = { "client", "add", "--name", "Anna Berg", "--data-dir", f->data_dir, NULL };

    status = spawn_cli (args, NULL, &out, &err);
    assert_exit (status, DERM_EXIT_OK, out, err);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* And from DERMIS_DATA_DIR when not given */
  {
    const char *args[] = { "client", "list", "--json", NULL };

    envp = g_get_environ ();
    envp = g_environ_setenv (envp, "DERMIS_DATA_DIR", f->data_dir, TRUE);
    status = spawn_cli (args, envp, &out, &err);
    assert_exit (status, DERM_EXIT_OK, out, err);
    list = parse_json (out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  }
}

/* Runs dermis-cli with the NULL-terminated @args (no --data-dir added) */
static int
spawn_args (GPtrArray  *args,
            char      **out,
            char      **err)
{
  g_ptr_array_add (args, NULL);
  return spawn_cli ((const char * const *) args->pdata, NULL, out, err);
}

/* The command names `dermis-cli --help` lists: the first column of the
 * lines under "Commands:", up to the blank line before "Options" */
static GPtrArray *
listed_commands (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  gboolean in_commands = FALSE;
  int status = spawn_cli (args, NULL, &out, &err);

  assert_exit (status, DERM_EXIT_OK, out, err);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *gap;

      if (g_str_equal (lines[i], "Commands:"))
        {
          in_commands = TRUE;
          continue;
        }
      if (!in_commands || lines[i][0] == '\0')
        continue;
      if (lines[i][0] != ' ')
        break;
      /* "  client add    Adds a client…" */
      g_assert_true (g_str_has_prefix (lines[i], "  "));
      gap = strstr (lines[i] + 2, "  ");
      g_assert_nonnull (gap);
      g_ptr_array_add (names, g_strndup (lines[i] + 2, gap - (lines[i] + 2)));
    }

  return names;
}

static gboolean
names_contain (GPtrArray  *names,
               const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;

  return FALSE;
}

/* --help lists every command of every group, and the whole exit code list */
static void
test_help_lists_everything (Fixture       *f,
                            gconstpointer  data)
{
  const char *expected[] = {
    "client add", "client list", "client show", "client update", "client archive",
    "screening add", "screening show", "session add", "session list",
    "photo import", "photo list", "photo verify", "photo recover", "photo remove", "photo restore",
    "photo empty-removed", "photo export",
    "plan protocols", "plan create", "plan list", "plan move", "plan cancel", "plan export-ics",
    "analyze", "align", "compare",
  };
  const char *helps[][2] = { { "--help", NULL }, { "-h", NULL }, { "help", NULL } };
  g_autoptr (GPtrArray) names = listed_commands ();

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_test_message ("%s", expected[i]);
      g_assert_true (names_contain (names, expected[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (helps); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      int status = spawn_cli (helps[i], NULL, &out, &err);

      assert_exit (status, DERM_EXIT_OK, out, err);
      g_assert_cmpstr (err, ==, "");
      g_assert_true (g_str_has_prefix (out, "Usage: dermis-cli "));
      /* Every exit code, 0 to 6 */
      g_assert_nonnull (strstr (out, "0 done"));
      g_assert_nonnull (strstr (out, "1 unexpected failure"));
      g_assert_nonnull (strstr (out, "2 bad command line"));
      g_assert_nonnull (strstr (out, "3 not found"));
      g_assert_nonnull (strstr (out, "4 invalid input"));
      g_assert_nonnull (strstr (out, "5 the records could not be read or written"));
      g_assert_nonnull (strstr (out, "6 verification failed"));
    }

  {
    const char *args[] = { "--version", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    int status = spawn_cli (args, NULL, &out, &err);

    assert_exit (status, DERM_EXIT_OK, out, err);
    g_assert_true (g_str_has_prefix (out, "dermis-cli " PACKAGE_VERSION));
  }
}

/* COMMAND --help and COMMAND -h print that command's help on stdout and
 * exit 0 for every command --help lists, analyze, align and compare
 * included; each group lists its commands */
static void
test_help_every_command (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (GPtrArray) names = listed_commands ();
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_cmpuint (names->len, >=, 26);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const char *flags[] = { "--help", "-h" };
      g_auto (GStrv) words = g_strsplit (name, " ", -1);
      /* Both go through the same option entry: -h for the first command
       * of each group and for the one-word commands, which parse alike */
      gboolean first_of_group = words[1] == NULL || !g_hash_table_contains (groups, words[0]);

      if (words[1] != NULL)
        g_hash_table_add (groups, g_strdup (words[0]));

      for (guint k = 0; k < (first_of_group ? G_N_ELEMENTS (flags) : 1); k++)
        {
          g_autoptr (GPtrArray) args = g_ptr_array_new ();
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;
          g_autofree char *usage = g_strdup_printf ("dermis-cli [OPTION…] %s", name);

          for (guint w = 0; words[w] != NULL; w++)
            g_ptr_array_add (args, words[w]);
          g_ptr_array_add (args, (gpointer) flags[k]);
          g_test_message ("%s %s", name, flags[k]);
          int status = spawn_args (args, &out, &err);

          assert_exit (status, DERM_EXIT_OK, out, err);
          g_assert_cmpstr (err, ==, "");
          g_assert_nonnull (strstr (out, usage));
          g_assert_nonnull (strstr (out, "--json"));
          g_assert_nonnull (strstr (out, "--data-dir"));
          g_assert_nonnull (strstr (out, "6 verification failed"));
        }
    }

  /* "GROUP --help" and "help GROUP" list the group's commands */
  {
    GHashTableIter iter;
    const char *group;

    g_assert_cmpuint (g_hash_table_size (groups), ==, 9);   /* client, screening, session, photo, plan, backup, clinic, consent, documents */
    g_hash_table_iter_init (&iter, groups);
    while (g_hash_table_iter_next (&iter, (gpointer *) &group, NULL))
      {
        const char *forms[][3] = { { group, "--help", NULL }, { group, "-h", NULL }, { "help", group, NULL } };
        gboolean all_forms = g_str_equal (group, "photo");

        for (guint k = 0; k < (all_forms ? G_N_ELEMENTS (forms) : 1); k++)
          {
            g_autofree char *out = NULL;
            g_autofree char *err = NULL;

            int status = spawn_cli (forms[k], NULL, &out, &err);

            assert_exit (status, DERM_EXIT_OK, out, err);
            for (guint i = 0; i < names->len; i++)
              {
                const char *name = g_ptr_array_index (names, i);
                g_autofree char *prefix = g_strdup_printf ("%s ", group);
                g_autofree char *line = g_strdup_printf ("\n  %s", name);

                if (g_str_has_prefix (name, prefix))
                  g_assert_nonnull (strstr (out, line));
              }
          }
      }
  }
}

/* A mistake on the command line of any command: exit 2, one line that
 * ends with the hint to that command's help, nothing on stdout */
static void
test_usage_hint_everywhere (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr (GPtrArray) names = listed_commands ();

  /* The case from the issue, word for word */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    int status = run_cli (f, &out, &err, "photo", "list", "1", "--bogus", NULL);

    assert_failure (status, DERM_EXIT_USAGE, out, err);
    g_assert_cmpstr (err, ==, "dermis-cli: Unknown option --bogus. See “dermis-cli photo list --help”.\n");
  }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_auto (GStrv) words = g_strsplit (name, " ", -1);
      g_autoptr (GPtrArray) args = g_ptr_array_new ();
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *expected = g_strdup_printf ("dermis-cli: Unknown option --bogus. See “dermis-cli %s --help”.\n",
                                                   name);

      g_ptr_array_add (args, (gpointer) "--data-dir");
      g_ptr_array_add (args, f->data_dir);
      for (guint w = 0; words[w] != NULL; w++)
        g_ptr_array_add (args, words[w]);
      g_ptr_array_add (args, (gpointer) "--bogus");
      g_test_message ("%s --bogus", name);
      int status = spawn_args (args, &out, &err);

      assert_failure (status, DERM_EXIT_USAGE, out, err);
      g_assert_cmpstr (err, ==, expected);
    }

  /* Missing and unknown commands point to the right help */
  {
    const char *cases[][4] = {
      { "frobnicate", NULL, "dermis-cli: Unknown command “frobnicate”. See “dermis-cli --help”.\n" },
      { "photo", NULL, "dermis-cli: Missing subcommand after “photo”. See “dermis-cli photo --help”.\n" },
      { "plan", "frobnicate", "dermis-cli: Unknown command “plan frobnicate”. See “dermis-cli plan --help”.\n" },
      { "analyze", NULL, "dermis-cli: Missing image. See “dermis-cli analyze --help”.\n" },
      { "client", "show", "dermis-cli: Missing client ID. See “dermis-cli client show --help”.\n" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr (GPtrArray) args = g_ptr_array_new ();
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;

        g_ptr_array_add (args, (gpointer) "--data-dir");
        g_ptr_array_add (args, f->data_dir);
        g_ptr_array_add (args, (gpointer) cases[i][0]);
        if (cases[i][1] != NULL)
          g_ptr_array_add (args, (gpointer) cases[i][1]);
        int status;

        g_ptr_array_add (args, NULL);
        status = spawn_cli ((const char * const *) args->pdata, NULL, &out, &err);
        assert_failure (status, DERM_EXIT_USAGE, out, err);
        g_assert_cmpstr (err, ==, cases[i][2]);
      }
  }
}

/* Runs @argv (NULL-terminated, after --data-dir) and checks it fails with
 * @code and exactly @message on stderr */
static void
assert_message (Fixture            *f,
                const char * const *argv,
                int                 code,
                const char         *message)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = g_strdup_printf ("dermis-cli: %s\n", message);

  g_ptr_array_add (args, (gpointer) "--data-dir");
  g_ptr_array_add (args, f->data_dir);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  int status;

  g_test_message ("%s %s", argv[0], argv[1]);
  status = spawn_args (args, &out, &err);
  assert_failure (status, code, out, err);
  g_assert_cmpstr (err, ==, line);
}

/* One wording for a record that does not exist, and for an ID that is
 * not a number, whichever command meets it */
static void
test_messages_identical (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *photo = g_build_filename (f->tmp_dir, "photo.jpg", NULL);
  const char *no_client_cases[][8] = {
    { "client", "show", "999", NULL },
    { "client", "update", "999", "--phone", "0612", NULL },
    { "client", "archive", "999", NULL },
    { "screening", "add", "999", "--answer", "pregnancy=no", NULL },
    { "screening", "show", "999", NULL },
    { "session", "add", "999", "--date", "2024-01-10", NULL },
    { "session", "list", "999", NULL },
    { "photo", "import", "999", photo, NULL },
    { "photo", "list", "999", NULL },
    { "photo", "empty-removed", "999", NULL },
    { "photo", "recover", "--adopt", "999", NULL },
    { "plan", "create", "999", "--protocol", "1", "--start", "2027-01-04", NULL },
    { "plan", "list", "999", NULL },
    { "plan", "export-ics", "--client", "999", NULL },
    { "plan", "book", "999", "--at", "2027-01-04 10:00", NULL },
  };
  const char *no_photo_cases[][5] = {
    { "photo", "remove", "999", NULL },
    { "photo", "restore", "999", NULL },
    { "photo", "export", "999", photo, NULL },
  };
  const char *no_appointment_cases[][6] = {
    { "plan", "move", "999", "--to", "2027-02-15 09:00", NULL },
    { "plan", "cancel", "999", NULL },
  };
  const char *not_a_client_id_cases[][5] = {
    { "client", "show", "abc", NULL },
    { "session", "list", "abc", NULL },
    { "photo", "list", "abc", NULL },
    { "plan", "list", "abc", NULL },
  };
  g_autofree char *id = add_client (f, "Anna Berg");

  for (guint i = 0; i < G_N_ELEMENTS (no_client_cases); i++)
    assert_message (f, no_client_cases[i], DERM_EXIT_NOT_FOUND,
                    "No client with ID 999. Use “dermis-cli client list --archived” to see every ID.");
  for (guint i = 0; i < G_N_ELEMENTS (no_photo_cases); i++)
    assert_message (f, no_photo_cases[i], DERM_EXIT_NOT_FOUND,
                    "No photo with ID 999. Use “dermis-cli photo list CLIENT_ID” to see every ID.");
  for (guint i = 0; i < G_N_ELEMENTS (no_appointment_cases); i++)
    assert_message (f, no_appointment_cases[i], DERM_EXIT_NOT_FOUND,
                    "No appointment with ID 999. Use “dermis-cli plan list” to see every ID.");
  {
    const char *args[] = { "photo", "import", id, photo, "--session", "999", NULL };

    assert_message (f, args, DERM_EXIT_NOT_FOUND,
                    "No session with ID 999. Use “dermis-cli session list CLIENT_ID” to see every ID.");
  }
  for (guint i = 0; i < G_N_ELEMENTS (not_a_client_id_cases); i++)
    {
      g_autofree char *expected = g_strdup_printf ("“abc” is not a client ID. Use the number shown by "
                                                   "“dermis-cli client list --archived”. "
                                                   "See “dermis-cli %s %s --help”.",
                                                   not_a_client_id_cases[i][0], not_a_client_id_cases[i][1]);

      assert_message (f, not_a_client_id_cases[i], DERM_EXIT_USAGE, expected);
    }
}

static void
test_exit_usage (Fixture       *f,
                 gconstpointer  data)
{
  const char *cases[][5] = {
    { "frobnicate", NULL },
    { "client", "frobnicate", NULL },
    { "client", NULL },
    { "client", "add", "--name", NULL },
    { "client", "add", "--phone", "1234", NULL },
    { "client", "add", "--name", "Anna", "--bogus" },
    { "client", "show", "abc", NULL },
    { "client", "show", NULL },
    { "session", "add", "1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new ();
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      g_ptr_array_add (args, (gpointer) "--data-dir");
      g_ptr_array_add (args, f->data_dir);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i]) && cases[i][j] != NULL; j++)
        g_ptr_array_add (args, (gpointer) cases[i][j]);
      g_ptr_array_add (args, NULL);

      g_test_message ("case %u: %s", i, cases[i][0]);
      status = spawn_cli ((const char * const *) args->pdata, NULL, &out, &err);
      assert_failure (status, DERM_EXIT_USAGE, out, err);
    }
}

static void
test_exit_not_found (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = add_client (f, "Anna Berg");  /* a database to look in */
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = run_cli (f, &out, &err, "client", "show", "99999", NULL);
  assert_failure (status, DERM_EXIT_NOT_FOUND, out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "session", "list", "99999", "--json", NULL);
  assert_failure (status, DERM_EXIT_NOT_FOUND, out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "screening", "add", "99999", "--answer", "pregnancy=no", NULL);
  assert_failure (status, DERM_EXIT_NOT_FOUND, out, err);
}

static void
test_exit_invalid (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = add_client (f, "Anna Berg");
  const char *cases[][8] = {
    { "client", "add", "--name", "Anna", "--dob", "2023-02-30", NULL },
    { "client", "add", "--name", "", NULL },
    { "client", "add", "--name", "   ", NULL },
    { "client", "add", "--name", "Anna", "--email", "anna@", NULL },
    { "client", "add", "--name", "Anna", "--concerns", "texture,wrinkles", NULL },
    { "client", "add", "--name", "Anna", "--fitzpatrick", "VII", NULL },
    { "client", "update", id, "--name", "", NULL },
    { "session", "add", id, "--date", "2023-02-30", NULL },
    { "session", "add", id, "--date", "2024-01-10", "--depth", "forehead=5.0", NULL },
    { "screening", "add", id, "--answer", "isotretinoin=maybe", NULL },
    { "screening", "add", id, "--answer", "no-such-question=yes", NULL },
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) list = NULL;
  JsonObject *object;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new ();

      g_ptr_array_add (args, (gpointer) "--data-dir");
      g_ptr_array_add (args, f->data_dir);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i]) && cases[i][j] != NULL; j++)
        g_ptr_array_add (args, (gpointer) cases[i][j]);
      g_ptr_array_add (args, NULL);

      g_test_message ("case %u: %s %s", i, cases[i][0], cases[i][1]);
      status = spawn_cli ((const char * const *) args->pdata, NULL, &out, &err);
      assert_failure (status, DERM_EXIT_INVALID, out, err);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }

  /* Nothing of it was written */
  status = run_cli (f, &out, &err, "client", "list", "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  list = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  object = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (get_string (object, "name"), ==, "Anna Berg");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "session", "list", id, "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_assert_cmpstr (g_strstrip (out), ==, "[]");
}

static void
assert_file_unchanged (const char *path,
                       const char *contents,
                       gsize       length)
{
  g_autofree char *now = NULL;
  gsize now_length = 0;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &now, &now_length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (now, now_length, contents, length);
}

static void
test_exit_storage (Fixture       *f,
                   gconstpointer  data)
{
  static const char not_sqlite[] = "name;phone\nAnna Berg;0612\n\0\1\2 not a database";
  g_autofree char *file_dir = g_build_filename (f->tmp_dir, "a-file", NULL);
  g_autofree char *foreign_db = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  /* The data directory is a file */
  g_file_set_contents (file_dir, "not a directory", -1, &error);
  g_assert_no_error (error);
  {
    const char *args[] = { "--data-dir", file_dir, "client", "list", NULL };

    status = spawn_cli (args, NULL, &out, &err);
    assert_failure (status, DERM_EXIT_STORAGE, out, err);
    assert_file_unchanged (file_dir, "not a directory", strlen ("not a directory"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* A dermis.db that is not SQLite at all, left byte for byte */
  g_assert_cmpint (g_mkdir_with_parents (f->data_dir, 0700), ==, 0);
  foreign_db = g_build_filename (f->data_dir, "dermis.db", NULL);
  g_file_set_contents (foreign_db, not_sqlite, sizeof not_sqlite, &error);
  g_assert_no_error (error);

  status = run_cli (f, &out, &err, "client", "add", "--name", "Anna Berg", NULL);
  assert_failure (status, DERM_EXIT_STORAGE, out, err);
  assert_file_unchanged (foreign_db, not_sqlite, sizeof not_sqlite);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "list", "--json", NULL);
  assert_failure (status, DERM_EXIT_STORAGE, out, err);
  assert_file_unchanged (foreign_db, not_sqlite, sizeof not_sqlite);
}

/* Another program's SQLite database is refused and left byte for byte */
static void
test_exit_storage_foreign_sqlite (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *foreign_db = g_build_filename (f->data_dir, "dermis.db", NULL);
  g_autofree char *sqlite_bytes = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  gsize sqlite_length = 0;
  sqlite3 *db = NULL;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (f->data_dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (foreign_db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);"
                                     "INSERT INTO invoices (total) VALUES (120.5);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_file_get_contents (foreign_db, &sqlite_bytes, &sqlite_length, &error);
  g_assert_no_error (error);

  status = run_cli (f, &out, &err, "client", "add", "--name", "Anna Berg", NULL);
  assert_failure (status, DERM_EXIT_STORAGE, out, err);
  assert_file_unchanged (foreign_db, sqlite_bytes, sqlite_length);
}

/* Issue 12: a red "Do Not Treat" client gets no session without a
 * written override, and the override is kept on the session and audited */
static void
test_session_contraindication_override (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *id = add_client (f, "Zoë Müller");
  g_autofree char *last_dose = date_months_from_today (-2);
  g_autofree char *today = date_months_from_today (0);
  g_autofree char *date_for = g_strdup_printf ("isotretinoin=%s", last_dose);
  g_autofree char *db_path = g_build_filename (f->data_dir, "dermis.db", NULL);
  g_autoptr (JsonNode) list = NULL;
  JsonObject *session;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  char *out = NULL, *err = NULL;
  int status;

  status = run_cli (f, &out, &err, "screening", "add", id, "--answer", "isotretinoin=yes",
                    "--date-for", date_for, "--answer", "consent=yes", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Refused with exit 4 and the finding; nothing recorded */
  status = run_cli (f, &out, &err, "session", "add", id, "--date", today, NULL);
  assert_failure (status, DERM_EXIT_INVALID, out, err);
  g_assert_nonnull (strstr (err, "isotretinoin"));
  g_assert_nonnull (strstr (err, "--override-contraindication"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A token reason is not a reason */
  status = run_cli (f, &out, &err, "session", "add", id, "--date", today,
                    "--override-contraindication", "ok", NULL);
  assert_failure (status, DERM_EXIT_INVALID, out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "--json", "session", "list", id, NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  list = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 0);
  g_clear_pointer (&list, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "session", "add", id, "--date", today,
                    "--override-contraindication", "Dermatologist letter: course was 5 mg for 10 days only", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "--json", "session", "list", id, NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  list = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  session = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (get_string (session, "override_reason"), ==,
                   "Dermatologist letter: course was 5 mg for 10 days only");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT fields FROM audit_log WHERE action = 'override' "
                                           "AND entity = 'treatment'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 0), "isotretinoin-recent"));
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 0), "5 mg for 10 days"));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
flat_skin (int      x,
           int      y,
           guint8   rgb[3],
           gpointer data)
{
  rgb[0] = (guint8) (190 + (x * 7 + y * 3) % 40);
  rgb[1] = (guint8) (140 + (x * 5 + y * 11) % 30);
  rgb[2] = (guint8) (120 + (x * 13 + y) % 20);
}

/* The exit codes a photo meets: 0 imported, 6 when verification finds the
 * stored original changed, 3 for an image that is not there, 4 for a file
 * that is not an image */
static void
test_exit_photo_codes (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = add_client (f, "Anna Berg");
  g_autofree char *photo = derm_test_make_image (f->tmp_dir, "front.png", 320, 240, flat_skin, NULL);
  g_autofree char *missing = g_build_filename (f->tmp_dir, "no-such-photo.png", NULL);
  g_autofree char *not_image = g_build_filename (f->tmp_dir, "notes.png", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) imported = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *contents = NULL;
  const char *sha256;
  gsize length;
  int status;

  status = run_cli (f, &out, &err, "photo", "import", id, photo, "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  imported = parse_json (out);
  sha256 = get_string (json_object_get_object_member (json_array_get_object_element (json_node_get_array (imported), 0),
                                                      "photo"),
                       "sha256");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "photo", "verify", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* One byte of the stored original changes */
  {
    g_autoptr (DermStore) store = derm_store_open (f->data_dir, &error);
    g_autoptr (DermPhotoLibrary) library = NULL;

    g_assert_no_error (error);
    library = derm_photo_library_new (store, NULL);
    stored = derm_photo_library_get_original_path (library, sha256);
  }
  g_chmod (stored, 0600);
  g_file_get_contents (stored, &contents, &length, &error);
  g_assert_no_error (error);
  contents[length / 2] ^= 0x01;
  g_file_set_contents (stored, contents, (gssize) length, &error);
  g_assert_no_error (error);

  status = run_cli (f, &out, &err, "photo", "verify", NULL);
  assert_exit (status, DERM_EXIT_MISMATCH, out, err);
  g_assert_nonnull (strstr (out, "damaged"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "analyze", missing, NULL);
  assert_failure (status, DERM_EXIT_NOT_FOUND, out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_file_set_contents (not_image, "not a photo", -1, &error);
  g_assert_no_error (error);
  status = run_cli (f, &out, &err, "analyze", not_image, NULL);
  assert_failure (status, DERM_EXIT_INVALID, out, err);
}

/* photo import files a batch by capture date unless told otherwise, says
 * so for a photo without one, and takes session, view and area for the
 * whole batch */
static void
test_photo_import_choices (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = add_client (f, "Noor Rahman");
  g_autofree char *undated = derm_test_make_image (f->tmp_dir, "undated.jpg", 160, 120, flat_skin, NULL);
  g_autofree char *dated = derm_test_make_image (f->tmp_dir, "with-exif.jpg", 160, 120, flat_skin, NULL);
  g_autofree char *second = derm_test_make_image (f->tmp_dir, "second.png", 170, 120, flat_skin, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *session = NULL;
  g_autoptr (JsonNode) imported = NULL;
  JsonArray *entries;
  JsonObject *photo;
  int status;

  derm_test_set_capture_date (dated, "2025:02:03 11:00:00");
  status = run_cli (f, &out, &err, "session", "add", id, "--date", "2025-02-03", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  session = g_strstrip (g_steal_pointer (&out));
  g_clear_pointer (&err, g_free);

  /* By capture date: the dated one goes to its day's session; the
   * undated one to none, and the command says so */
  status = run_cli (f, &out, &err, "photo", "import", id, undated, dated, "--json", NULL);
  g_assert_cmpint (status, ==, DERM_EXIT_OK);
  g_assert_nonnull (strstr (err, "undated.jpg: no capture date, so filed under no session. "
                                 "Give its session with --session ID, or --session none."));
  g_assert_null (strstr (err, "with-exif.jpg"));
  imported = parse_json (out);
  entries = json_node_get_array (imported);
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  g_assert_true (json_object_has_member (json_array_get_object_element (entries, 0), "note"));
  g_assert_false (json_object_has_member (json_array_get_object_element (entries, 1), "note"));
  photo = json_object_get_object_member (json_array_get_object_element (entries, 1), "photo");
  g_assert_cmpint (json_object_get_int_member (photo, "session_id"), ==, g_ascii_strtoll (session, NULL, 10));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&imported, json_node_unref);

  /* Chosen for the batch: no note, the choices kept */
  status = run_cli (f, &out, &err, "photo", "import", id, second, "--session", session, "--view", "left-45",
                    "--area", "Left cheek", "--json", NULL);
  assert_exit (status, DERM_EXIT_OK, out, err);
  g_assert_cmpstr (err, ==, "");
  imported = parse_json (out);
  photo = json_object_get_object_member (json_array_get_object_element (json_node_get_array (imported), 0), "photo");
  g_assert_cmpint (json_object_get_int_member (photo, "session_id"), ==, g_ascii_strtoll (session, NULL, 10));
  g_assert_cmpstr (get_string (photo, "view"), ==, "left-45");
  g_assert_cmpstr (get_string (photo, "area"), ==, "Left cheek");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/cli/client/round-trip-json", test_client_round_trip);
  ADD_TEST ("/cli/client/unicode-and-quotes-survive", test_client_unicode_and_quotes);
  ADD_TEST ("/cli/client/search-ignores-accents-and-case", test_client_search_accents);
  ADD_TEST ("/cli/screening/recent-isotretinoin-contraindicates", test_screening_isotretinoin);
  ADD_TEST ("/cli/session/add-with-depths-and-list", test_session_add_list);
  ADD_TEST ("/cli/session/contraindication-needs-written-override", test_session_contraindication_override);
  ADD_TEST ("/cli/data-dir/after-command-and-from-env", test_data_dir_placement);
  ADD_TEST ("/cli/help/lists-every-command-and-exit-code", test_help_lists_everything);
  ADD_TEST ("/cli/help/every-command-and-group", test_help_every_command);
  ADD_TEST ("/cli/usage/hint-names-the-command", test_usage_hint_everywhere);
  ADD_TEST ("/cli/messages/one-wording-for-missing-records", test_messages_identical);
  ADD_TEST ("/cli/exit/usage-is-2", test_exit_usage);
  ADD_TEST ("/cli/exit/not-found-is-3", test_exit_not_found);
  ADD_TEST ("/cli/exit/invalid-is-4", test_exit_invalid);
  ADD_TEST ("/cli/exit/storage-is-5-and-leaves-foreign-files", test_exit_storage);
  ADD_TEST ("/cli/exit/storage-is-5-and-leaves-foreign-sqlite", test_exit_storage_foreign_sqlite);
  ADD_TEST ("/cli/exit/verify-6-missing-image-3-not-an-image-4", test_exit_photo_codes);
  ADD_TEST ("/cli/photo/import-by-capture-date-says-when-none", test_photo_import_choices);

#undef ADD_TEST

  return g_test_run ();
}
