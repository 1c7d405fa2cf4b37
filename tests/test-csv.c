/* test-csv.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV: the strict RFC 4180 reader and writer, clients to and from CSV
 * (mapping, per-row errors, caps, the round trip), the one-transaction
 * import in the store, and dermis-cli client import/export with its
 * safe destination.
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "derm-cli-common.h"
#include "derm-client-csv.h"
#include "derm-client.h"
#include "derm-csv.h"
#include "derm-store.h"
#include "derm-test-utils.h"
#include "derm-validate.h"

/* --- the reader and writer -------------------------------------------- */

static GPtrArray *
parse (const char  *text,
       GError     **error)
{
  return derm_csv_parse (text, strlen (text), 1 << 20, 1000, error);
}

static void
assert_record (GPtrArray   *records,
               guint        index,
               guint        row,
               const char  *first,
               ...)
{
  DermCsvRecord *record = g_ptr_array_index (records, index);
  va_list ap;
  guint i = 0;

  g_assert_cmpuint (record->row, ==, row);
  va_start (ap, first);
  for (const char *field = first; field != NULL; field = va_arg (ap, const char *), i++)
    g_assert_cmpstr (record->fields[i], ==, field);
  va_end (ap);
  g_assert_cmpuint (g_strv_length (record->fields), ==, i);
}

static void
test_parse_rfc4180 (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;

  /* Quoted commas, doubled quotes, a CRLF and a LF inside quotes, an
   * empty field, CRLF and LF record ends, no final line break */
  records = parse ("name,notes,phone\r\n"
                   "\"Müller, Zoë\",\"She said \"\"hi\"\"\r\nand left\",\r\n"
                   "Ann,\"two\nlines\",0612\n"
                   "\"\",,\"\"", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 4);
  assert_record (records, 0, 1, "name", "notes", "phone", NULL);
  assert_record (records, 1, 2, "Müller, Zoë", "She said \"hi\"\r\nand left", "", NULL);
  assert_record (records, 2, 3, "Ann", "two\nlines", "0612", NULL);
  assert_record (records, 3, 4, "", "", "", NULL);
}

static void
test_parse_bom_and_final_newline (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;

  records = parse (DERM_CSV_BOM "name\r\nSøren\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  assert_record (records, 0, 1, "name", NULL);
  assert_record (records, 1, 2, "Søren", NULL);
}

static void
assert_parse_error (const char *text,
                    gsize       length,
                    int         code,
                    const char *in_message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = derm_csv_parse (text, length, 1 << 20, 1000, &error);

  g_assert_null (records);
  g_assert_error (error, DERM_CSV_ERROR, code);
  if (strstr (error->message, in_message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, in_message);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_parse_refuses (void)
{
  /* A stray quote, text after a closing quote, an unclosed quote: the
   * row of the record is named */
  assert_parse_error ("name\nAn\"n\n", 9, DERM_CSV_ERROR_SYNTAX, "Row 2");
  assert_parse_error ("name\n\"Ann\"x\n", 12, DERM_CSV_ERROR_SYNTAX, "Row 2");
  assert_parse_error ("name\nAnn\n\"Bob\n", 14, DERM_CSV_ERROR_SYNTAX, "Row 3");
  /* Latin-1, a NUL byte: the line is named */
  assert_parse_error ("name\nM\xfcller\n", 12, DERM_CSV_ERROR_ENCODING, "Line 2");
  assert_parse_error ("name\nAnn\0x\n", 10, DERM_CSV_ERROR_ENCODING, "Line 2");
  assert_parse_error ("", 0, DERM_CSV_ERROR_EMPTY, "empty");
  assert_parse_error (DERM_CSV_BOM, 3, DERM_CSV_ERROR_EMPTY, "empty");
}

static void
test_parse_caps (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;

  records = derm_csv_parse ("a\nb\nc\n", 6, 5, 100, &error);
  g_assert_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_TOO_LARGE);
  g_clear_error (&error);

  records = derm_csv_parse ("a\nb\nc\n", 6, 100, 2, &error);
  g_assert_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_TOO_LARGE);
  g_clear_error (&error);

  records = derm_csv_parse ("a\nb\nc\n", 6, 6, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);
}

static void
test_write_read_back (void)
{
  const char *fields[] = { "plain", "a,b", "say \"x\"", "two\r\nlines", " padded ", "", NULL, "ünï" };
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  DermCsvRecord *record;

  derm_csv_append_record (out, fields, G_N_ELEMENTS (fields));
  derm_csv_append_record (out, fields, 1);
  g_assert_cmpstr (out->str, ==,
                   "plain,\"a,b\",\"say \"\"x\"\"\",\"two\r\nlines\",\" padded \",,,ünï\r\nplain\r\n");

  records = parse (out->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  record = g_ptr_array_index (records, 0);
  g_assert_cmpuint (g_strv_length (record->fields), ==, G_N_ELEMENTS (fields));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_cmpstr (record->fields[i], ==, fields[i] != NULL ? fields[i] : "");
}

/* --- clients ----------------------------------------------------------- */

static void
today (GDate *date)
{
  g_date_clear (date, 1);
  g_date_set_dmy (date, 3, G_DATE_DECEMBER, 2026);
}

static DermClientCsv *
client_csv (const char *text)
{
  g_autoptr (GError) error = NULL;
  GDate day;
  DermClientCsv *csv;

  today (&day);
  csv = derm_client_csv_new_from_data (text, strlen (text), &day, &error);
  g_assert_no_error (error);
  return csv;
}

static void
test_client_mapping_from_headers (void)
{
  g_autoptr (DermClientCsv) csv = client_csv ("ID,Full name,Birthday,E-mail,Telephone,Skin type,Colour\n"
                                              "7,Søren Ødegård,1985-03-14,s@example.com,+47 22 33 44 55,III,blue\n");
  g_auto (GStrv) unknown = derm_client_csv_dup_unknown_headers (csv);
  DermClient *client;

  g_assert_cmpuint (derm_client_csv_get_n_columns (csv), ==, 7);
  g_assert_cmpint (derm_client_csv_get_mapping (csv, 0), ==, DERM_CLIENT_COLUMN_IGNORE);
  g_assert_cmpint (derm_client_csv_get_mapping (csv, 1), ==, DERM_CLIENT_COLUMN_NAME);
  g_assert_cmpint (derm_client_csv_get_mapping (csv, 2), ==, DERM_CLIENT_COLUMN_DATE_OF_BIRTH);
  g_assert_cmpint (derm_client_csv_get_mapping (csv, 3), ==, DERM_CLIENT_COLUMN_EMAIL);
  g_assert_cmpint (derm_client_csv_get_mapping (csv, 4), ==, DERM_CLIENT_COLUMN_PHONE);
  g_assert_cmpint (derm_client_csv_get_mapping (csv, 5), ==, DERM_CLIENT_COLUMN_FITZPATRICK);
  g_assert_cmpint (derm_client_csv_get_mapping (csv, 6), ==, DERM_CLIENT_COLUMN_IGNORE);
  g_assert_cmpuint (g_strv_length (unknown), ==, 1);
  g_assert_cmpstr (unknown[0], ==, "Colour");

  g_assert_true (derm_client_csv_is_ready (csv));
  client = derm_client_csv_get_client (csv, 0);
  g_assert_nonnull (client);
  g_assert_cmpstr (derm_client_get_name (client), ==, "Søren Ødegård");
  g_assert_cmpstr (derm_client_get_date_of_birth (client), ==, "1985-03-14");
  g_assert_cmpuint (derm_client_get_fitzpatrick (client), ==, 3);
}

static void
test_client_mapping_changed (void)
{
  g_autoptr (DermClientCsv) csv = client_csv ("Kunde,Telefon\nAnn Lee,0612 34 56\n");

  /* Nothing names the name: a mapping error, no client */
  g_assert_nonnull (derm_client_csv_get_mapping_error (csv));
  g_assert_false (derm_client_csv_is_ready (csv));
  g_assert_null (derm_client_csv_get_client (csv, 0));

  derm_client_csv_set_mapping (csv, 0, DERM_CLIENT_COLUMN_NAME);
  derm_client_csv_set_mapping (csv, 1, DERM_CLIENT_COLUMN_PHONE);
  g_assert_null (derm_client_csv_get_mapping_error (csv));
  g_assert_true (derm_client_csv_is_ready (csv));
  g_assert_cmpstr (derm_client_get_phone (derm_client_csv_get_client (csv, 0)), ==, "0612 34 56");

  /* One field, one column: mapping the name to the second column takes it from the first */
  derm_client_csv_set_mapping (csv, 1, DERM_CLIENT_COLUMN_NAME);
  g_assert_cmpint (derm_client_csv_get_mapping (csv, 0), ==, DERM_CLIENT_COLUMN_IGNORE);
  g_assert_cmpstr (derm_client_get_name (derm_client_csv_get_client (csv, 0)), ==, "0612 34 56");
}

static void
assert_row_error (DermClientCsv *csv,
                  guint          row,
                  const char    *start)
{
  const char *message = derm_client_csv_get_error (csv, row);

  g_assert_nonnull (message);
  if (!g_str_has_prefix (message, start))
    g_error ("“%s” does not start with “%s”", message, start);
  g_assert_null (strchr (message, '\n'));
  g_assert_null (derm_client_csv_get_client (csv, row));
}

static void
test_client_row_errors (void)
{
  /* Row numbers count the header as row 1 and a quoted line break as
   * part of its row; a blank row is left out but keeps the numbering */
  g_autoptr (DermClientCsv) csv = client_csv ("name,date_of_birth,email,fitzpatrick,concerns,archived,notes\n"
                                              "Ann,01/06/1990,,,,,\n"
                                              "Bob,2030-01-01,,,,,\n"
                                              "\n"
                                              "Cy,,cy@,,,,\n"
                                              "Di,,,VII,,,\n"
                                              "Ed,,,,wrinkles,,\n"
                                              "Flo,,,,,maybe,\n"
                                              "\"Gus\x1b[2J\",,,,,,\n"
                                              "Hal,,,,,,\"multi\nline notes\"\n"
                                              "Ivy,,,\n"
                                              ",1990-01-01,,,,,\n"
                                              "Jo,1990-02-30,,,,,\n");

  g_assert_cmpuint (derm_client_csv_get_n_rows (csv), ==, 11);
  g_assert_cmpuint (derm_client_csv_get_n_errors (csv), ==, 10);
  g_assert_false (derm_client_csv_is_ready (csv));
  assert_row_error (csv, 0, "Row 2: Date of birth: “01/06/1990” could be 1 June 1990 or 6 January 1990. "
                            "Enter it as YYYY-MM-DD");
  assert_row_error (csv, 1, "Row 3: Date of birth: 2030-01-01 is in the future");
  assert_row_error (csv, 2, "Row 5: Email");
  assert_row_error (csv, 3, "Row 6: Skin type “VII”");
  assert_row_error (csv, 4, "Row 7: “wrinkles” is not a known concern");
  assert_row_error (csv, 5, "Row 8: Archived");
  assert_row_error (csv, 6, "Row 9: Name contains control characters");
  g_assert_null (derm_client_csv_get_error (csv, 7));
  g_assert_cmpstr (derm_client_get_notes (derm_client_csv_get_client (csv, 7)), ==, "multi\nline notes");
  g_assert_cmpuint (derm_client_csv_get_row_number (csv, 8), ==, 11);
  assert_row_error (csv, 8, "Row 11: it has 4 fields");
  assert_row_error (csv, 9, "Row 12: Name is required");
  assert_row_error (csv, 10, "Row 13: Date of birth: “1990-02-30” is not a date that exists");
}

/* Day and month in either order are read when only one order makes a
 * date; two possible dates, or another shape, name the expected form */
static void
test_client_dates_day_month (void)
{
  g_autoptr (DermClientCsv) csv = client_csv ("name,date_of_birth\n"
                                              "A,14/03/1985\n"
                                              "B,03/14/1985\n"
                                              "C,14.3.1985\n"
                                              "D,1-1-1990\n"
                                              "E,05/05/1990\n"
                                              "F,02/03/1990\n"
                                              "G,14/03-1985\n"
                                              "H,14/03/85\n"
                                              "I,31/02/1990\n"
                                              "J,1985-3-14\n");
  const char *expected[] = { "1985-03-14", "1985-03-14", "1985-03-14", "1990-01-01", "1990-05-05" };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_null (derm_client_csv_get_error (csv, i));
      g_assert_cmpstr (derm_client_get_date_of_birth (derm_client_csv_get_client (csv, i)), ==, expected[i]);
    }
  assert_row_error (csv, 5, "Row 7: Date of birth: “02/03/1990” could be 2 March 1990 or 3 February 1990.");
  assert_row_error (csv, 6, "Row 8: Date of birth: “14/03-1985” is not written as year-month-day. "
                            "Enter it as YYYY-MM-DD, for example 1985-03-14.");
  assert_row_error (csv, 7, "Row 9: Date of birth: “14/03/85” is not written as year-month-day.");
  assert_row_error (csv, 8, "Row 10: Date of birth: “31/02/1990” is not written as year-month-day.");
  assert_row_error (csv, 9, "Row 11: Date of birth: “1985-3-14” is not written as year-month-day.");
  g_assert_cmpuint (derm_client_csv_get_n_errors (csv), ==, 5);
}

/* A field a spreadsheet would run as a formula gets an apostrophe in
 * front; reading takes exactly that apostrophe away */
static void
test_formula_guard (void)
{
  const struct { const char *text; const char *guarded; } cases[] = {
    { "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")" },
    { "+33 6 12 34 56 78", "'+33 6 12 34 56 78" },
    { "-2+3", "'-2+3" },
    { "@SUM(A1)", "'@SUM(A1)" },
    { "\tcmd", "'\tcmd" },
    { "\rcmd", "'\rcmd" },
    { "'=kept", "''=kept" },
    { "''+kept", "'''+kept" },
    { "'quoted", "'quoted" },
    { "a=b", "a=b" },
    { "", "" },
    { "'", "'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *guarded = derm_csv_guard_formula (cases[i].text);

      g_assert_cmpstr (guarded, ==, cases[i].guarded);
      g_assert_cmpstr (derm_csv_unguard_formula (guarded), ==, cases[i].text);
    }
  g_assert_null (derm_csv_guard_formula (NULL));
}

static void
test_client_file_refused (void)
{
  g_autofree char *dir = derm_test_make_tmp_dir ("test-csv");
  g_autofree char *big = g_build_filename (dir, "big.csv", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClientCsv) csv = NULL;
  g_autoptr (GString) text = g_string_new ("name\n");

  /* Over the cap: refused before parsing */
  while (text->len <= DERM_CLIENT_CSV_MAX_BYTES)
    g_string_append (text, "Ann Example with a long line of padding to reach the cap sooner\n");
  g_assert_true (g_file_set_contents (big, text->str, text->len, NULL));
  csv = derm_client_csv_new_from_file (big, NULL, &error);
  g_assert_null (csv);
  g_assert_error (error, DERM_CSV_ERROR, DERM_CSV_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A FIFO is never opened for a blocking read */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  csv = derm_client_csv_new_from_file (fifo, NULL, &error);
  g_assert_null (csv);
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);

  csv = derm_client_csv_new_from_file (dir, NULL, &error);
  g_assert_null (csv);
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);

  csv = derm_client_csv_new_from_file (missing, NULL, &error);
  g_assert_null (csv);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  derm_test_remove_tree (dir);
}

/* --- the store ---------------------------------------------------------- */

static void
store_set_up (DermTestStore *fixture,
              gconstpointer  data)
{
  derm_test_store_set_up (fixture, "test-csv");
}

static void
store_tear_down (DermTestStore *fixture,
                 gconstpointer  data)
{
  derm_test_store_tear_down (fixture);
}

static void
test_store_import_all_or_nothing (DermTestStore *fixture,
                                  gconstpointer  data)
{
  g_autoptr (GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GPtrArray) audit = NULL;
  g_autoptr (GError) error = NULL;
  DermClient *bad;

  for (guint i = 0; i < 3; i++)
    {
      DermClient *client = derm_client_new ();
      g_autofree char *name = g_strdup_printf ("Client %u", i);

      derm_client_set_name (client, name);
      g_ptr_array_add (clients, client);
    }
  bad = g_ptr_array_index (clients, 2);
  derm_client_set_email (bad, "not-an-email");

  g_assert_false (derm_store_add_clients (fixture->store, clients, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_EMAIL);
  g_assert_true (g_str_has_prefix (error->message, "Client 3 of 3: "));
  g_clear_error (&error);
  listed = derm_store_list_clients (fixture->store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);
  g_clear_pointer (&listed, g_ptr_array_unref);

  derm_client_set_email (bad, "c2@example.com");
  g_assert_true (derm_store_add_clients (fixture->store, clients, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < clients->len; i++)
    g_assert_cmpint (derm_client_get_id (g_ptr_array_index (clients, i)), >, 0);
  listed = derm_store_list_clients (fixture->store, TRUE, &error);
  g_assert_cmpuint (listed->len, ==, 3);

  /* Each imported client is audited as an import */
  audit = derm_store_list_audit (fixture->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 3);
  for (guint i = 0; i < audit->len; i++)
    {
      const char *action = NULL;
      const char *entity = NULL;

      g_variant_get (g_ptr_array_index (audit, i), "(x&s&s&sx&s)", NULL, NULL, &action, &entity, NULL, NULL);
      g_assert_cmpstr (action, ==, "import");
      g_assert_cmpstr (entity, ==, "client");
    }
}

static void
test_round_trip (DermTestStore *fixture,
                 gconstpointer  data)
{
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GPtrArray) imported = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DermClientCsv) csv = NULL;
  g_autoptr (DermClient) full = derm_client_new ();
  g_autoptr (DermClient) archived = derm_client_new ();
  g_autofree char *second_dir = NULL;
  g_autoptr (DermStore) second = NULL;
  const char *text;

  derm_client_set_name (full, "Zoë \"Zo\" Müller, Jr.");
  derm_client_set_date_of_birth (full, "1990-06-01");
  derm_client_set_phone (full, "+49 30 1234567");
  derm_client_set_email (full, "zoe@example.com");
  derm_client_set_fitzpatrick (full, 4);
  derm_client_set_concerns (full, DERM_CONCERN_PORES | DERM_CONCERN_REDNESS);
  derm_client_set_goals (full, "Fewer pores, even tone");
  derm_client_set_notes (full, "Line one\nLine two, with \"quotes\"\r\n\tand a tab");
  g_assert_true (derm_store_add_client (fixture->store, full, &error));
  g_assert_no_error (error);
  /* Formula-like fields, guarded in the file and exact after the import */
  g_clear_object (&full);
  full = derm_client_new ();
  derm_client_set_name (full, "'=Ann");
  derm_client_set_phone (full, "+33 6 12 34 56 78");
  derm_client_set_goals (full, "=HYPERLINK(\"http://example.com\",\"x\")");
  derm_client_set_notes (full, "@SUM(1+1)\n-1");
  g_assert_true (derm_store_add_client (fixture->store, full, &error));
  derm_client_set_name (archived, "Åsa Ødegård");
  derm_client_set_archived (archived, TRUE);
  g_assert_true (derm_store_add_client (fixture->store, archived, &error));
  g_assert_no_error (error);

  before = derm_store_list_clients (fixture->store, TRUE, &error);
  g_assert_cmpuint (before->len, ==, 3);
  bytes = derm_client_csv_export (before, TRUE);
  text = g_bytes_get_data (bytes, NULL);
  g_assert_true (g_str_has_prefix (text, DERM_CSV_BOM "id,name,date_of_birth,phone,email,fitzpatrick,"
                                         "concerns,goals,notes,archived\r\n"));
  g_assert_nonnull (strstr (text, ",''=Ann,,'+33 6 12 34 56 78,,,,"
                                  "\"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\","
                                  "\"'@SUM(1+1)\n-1\",no\r\n"));
  /* No field of the file starts as a formula */
  {
    g_autoptr (GPtrArray) records = derm_csv_parse (text, g_bytes_get_size (bytes), 1 << 20, 100, &error);

    g_assert_no_error (error);
    for (guint r = 0; r < records->len; r++)
      {
        DermCsvRecord *record = g_ptr_array_index (records, r);

        for (guint f = 0; record->fields[f] != NULL; f++)
          if (record->fields[f][0] != '\0')
            g_assert_null (strchr ("=+-@\t\r", record->fields[f][0]));
      }
  }

  csv = derm_client_csv_new_from_data (text, g_bytes_get_size (bytes), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (derm_client_csv_is_ready (csv));
  imported = derm_client_csv_dup_clients (csv);

  second_dir = derm_test_make_tmp_dir ("test-csv-second");
  second = derm_store_open (second_dir, &error);
  g_assert_no_error (error);
  g_assert_true (derm_store_add_clients (second, imported, &error));
  g_assert_no_error (error);

  after = derm_store_list_clients (second, TRUE, &error);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      DermClient *a = g_ptr_array_index (before, i);
      DermClient *b = g_ptr_array_index (after, i);

      g_assert_cmpstr (derm_client_get_name (a), ==, derm_client_get_name (b));
      g_assert_cmpstr (derm_client_get_date_of_birth (a), ==, derm_client_get_date_of_birth (b));
      g_assert_cmpstr (derm_client_get_phone (a), ==, derm_client_get_phone (b));
      g_assert_cmpstr (derm_client_get_email (a), ==, derm_client_get_email (b));
      g_assert_cmpuint (derm_client_get_fitzpatrick (a), ==, derm_client_get_fitzpatrick (b));
      g_assert_cmpuint (derm_client_get_concerns (a), ==, derm_client_get_concerns (b));
      g_assert_cmpstr (derm_client_get_goals (a), ==, derm_client_get_goals (b));
      g_assert_cmpstr (derm_client_get_notes (a), ==, derm_client_get_notes (b));
      g_assert_cmpint (derm_client_get_archived (a), ==, derm_client_get_archived (b));
    }

  g_clear_object (&second);
  derm_test_remove_tree (second_dir);
}

/* --- dermis-cli -------------------------------------------------------- */

typedef struct
{
  char *tmp_dir;
  char *data_dir;
} CliFixture;

static void
cli_set_up (CliFixture    *f,
            gconstpointer  data)
{
  f->tmp_dir = derm_test_make_tmp_dir ("test-csv-cli");
  f->data_dir = g_build_filename (f->tmp_dir, "data", NULL);
}

static void
cli_tear_down (CliFixture    *f,
               gconstpointer  data)
{
  derm_test_remove_tree (f->tmp_dir);
  g_clear_pointer (&f->tmp_dir, g_free);
  g_clear_pointer (&f->data_dir, g_free);
}

#define run_cli(f, out, err, ...) derm_test_run_cli_in ((f)->data_dir, out, err, __VA_ARGS__)

static char *
write_file (CliFixture *f,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (f->tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static guint
count_clients (CliFixture *f)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_cmpint (run_cli (f, &out, &err, "client", "list", "--archived", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  return json_array_get_length (json_node_get_array (json_parser_get_root (parser)));
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static void
test_cli_import_export (CliFixture    *f,
                        gconstpointer  data)
{
  g_autofree char *good = write_file (f, "good.csv",
                                      DERM_CSV_BOM "name,phone,notes\r\n"
                                      "\"Ødegård, Søren\",0612 34 56,\"a \"\"quote\"\"\r\nand a line\"\r\n"
                                      "Ann Lee,,\r\n");
  g_autofree char *out_path = g_build_filename (f->tmp_dir, "clients.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *again = NULL;
  int status;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("dermis-cli not built");
      return;
    }

  /* --dry-run checks and writes nothing (no database is even created) */
  status = run_cli (f, &out, &err, "client", "import", good, "--dry-run", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "2 clients would be imported"));
  g_assert_false (g_file_test (f->data_dir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "import", good, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"clients\" : 2"));
  g_assert_cmpuint (count_clients (f), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "export", "--out", out_path, "--bom", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (out_path, &exported, NULL, NULL));
  g_assert_true (g_str_has_prefix (exported, DERM_CSV_BOM "id,name,"));
  g_assert_nonnull (strstr (exported, "\"Ødegård, Søren\",,0612 34 56,,,,,\"a \"\"quote\"\"\r\nand a line\",no\r\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Never over an existing file unless forced */
  status = run_cli (f, &out, &err, "client", "export", "--out", out_path, NULL);
  g_assert_cmpint (status, ==, 4);
  g_assert_cmpuint (count_lines (err), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The export reads back: importing it doubles the clients */
  status = run_cli (f, &out, &err, "client", "import", out_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_clients (f), ==, 4);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "export", "--out", out_path, "--force", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (out_path, &again, NULL, NULL));
  g_assert_false (g_str_has_prefix (again, DERM_CSV_BOM));
  g_assert_cmpuint (count_lines (again), ==, 1 + 2 * 3);
}

static void
test_cli_bad_rows (CliFixture    *f,
                   gconstpointer  data)
{
  g_autofree char *bad = write_file (f, "bad.csv",
                                     "name,date_of_birth,email,colour\n"
                                     "Ann,1985-03-14,ann@example.com,red\n"
                                     "Bob,03/04/1985,,\n"
                                     "Cy,,cy@,\n");
  g_autofree char *latin1 = write_file (f, "latin1.csv", "name\nM\xfcller\n");
  g_autofree char *noname = write_file (f, "noname.csv", "phone\n0612\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) lines = NULL;
  int status;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("dermis-cli not built");
      return;
    }

  g_assert_cmpint (run_cli (f, &out, &err, "client", "add", "--name", "Kept", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* One line per bad row with its row number, a summary, exit 4, nothing written */
  status = run_cli (f, &out, &err, "client", "import", bad, NULL);
  g_assert_cmpint (status, ==, 4);
  g_assert_cmpstr (out, ==, "");
  lines = g_strsplit (err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_nonnull (strstr (lines[0], "“colour”"));
  g_assert_nonnull (strstr (lines[1], "Row 3: Date of birth"));
  g_assert_nonnull (strstr (lines[2], "Row 4: Email"));
  g_assert_nonnull (strstr (lines[3], "2 rows of 3 have errors; nothing was imported."));
  g_assert_cmpuint (count_clients (f), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "import", latin1, NULL);
  g_assert_cmpint (status, ==, 4);
  g_assert_cmpuint (count_lines (err), ==, 1);
  g_assert_nonnull (strstr (err, "UTF-8"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "import", noname, NULL);
  g_assert_cmpint (status, ==, 4);
  g_assert_cmpuint (count_lines (err), ==, 1);
  g_assert_nonnull (strstr (err, "name"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "import", "/nonexistent/clients.csv", NULL);
  g_assert_cmpint (status, ==, 3);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpuint (count_clients (f), ==, 1);
}

static void
test_cli_export_destination (CliFixture    *f,
                             gconstpointer  data)
{
  g_autofree char *inside = g_build_filename (f->data_dir, "clients.csv", NULL);
  g_autofree char *target = write_file (f, "target.txt", "keep me");
  g_autofree char *link = g_build_filename (f->tmp_dir, "link.csv", NULL);
  g_autofree char *fifo = g_build_filename (f->tmp_dir, "fifo.csv", NULL);
  g_autofree char *kept = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (!derm_test_have_cli ())
    {
      g_test_skip ("dermis-cli not built");
      return;
    }

  g_assert_cmpint (run_cli (f, &out, &err, "client", "add", "--name", "Ann", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "export", "--out", inside, NULL);
  g_assert_cmpint (status, ==, 4);
  g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A symbolic link, even with --force, is not followed */
  g_assert_cmpint (symlink (target, link), ==, 0);
  status = run_cli (f, &out, &err, "client", "export", "--out", link, "--force", NULL);
  g_assert_cmpint (status, ==, 4);
  g_assert_true (g_file_get_contents (target, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "keep me");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  status = run_cli (f, &out, &err, "client", "export", "--out", fifo, "--force", NULL);
  g_assert_cmpint (status, ==, 4);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "client", "export", NULL);
  g_assert_cmpint (status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/parse/rfc4180-quotes-commas-line-breaks", test_parse_rfc4180);
  g_test_add_func ("/csv/parse/bom-and-final-line-break", test_parse_bom_and_final_newline);
  g_test_add_func ("/csv/parse/refuses-stray-quotes-and-non-utf8", test_parse_refuses);
  g_test_add_func ("/csv/parse/byte-and-row-caps", test_parse_caps);
  g_test_add_func ("/csv/write/quotes-what-needs-it-and-reads-back", test_write_read_back);
  g_test_add_func ("/csv/clients/mapping-from-headers", test_client_mapping_from_headers);
  g_test_add_func ("/csv/clients/mapping-changed-re-evaluates", test_client_mapping_changed);
  g_test_add_func ("/csv/clients/row-errors-name-the-row", test_client_row_errors);
  g_test_add_func ("/csv/clients/big-fifo-folder-missing-refused", test_client_file_refused);
  g_test_add_func ("/csv/clients/day-month-dates-read-when-unambiguous", test_client_dates_day_month);
  g_test_add_func ("/csv/write/formula-guard-and-unguard", test_formula_guard);
  g_test_add ("/csv/store/import-all-or-nothing-audited", DermTestStore, NULL,
              store_set_up, test_store_import_all_or_nothing, store_tear_down);
  g_test_add ("/csv/store/export-import-round-trip", DermTestStore, NULL,
              store_set_up, test_round_trip, store_tear_down);
  g_test_add ("/csv/cli/import-export-dry-run", CliFixture, NULL, cli_set_up, test_cli_import_export, cli_tear_down);
  g_test_add ("/csv/cli/bad-rows-exit-4-nothing-written", CliFixture, NULL, cli_set_up, test_cli_bad_rows, cli_tear_down);
  g_test_add ("/csv/cli/export-refuses-data-dir-links-fifos", CliFixture, NULL, cli_set_up,
              test_cli_export_destination, cli_tear_down);

  return g_test_run ();
}
