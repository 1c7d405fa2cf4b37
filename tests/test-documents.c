/* test-documents.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents for the client (issue 16): the letterhead and the aftercare
 * advice in the store, the layout, and the PDFs checked with poppler:
 * pdftotext finds the text in reading order, pdfimages finds the images,
 * and each page rendered by pdftoppm matches a reference rendering within
 * a tolerance (DERMIS_UPDATE_REFERENCES=1 rewrites the references).
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "derm-aftercare-sheet.h"
#include "derm-appointment.h"
#include "derm-document.h"
#include "derm-export-file.h"
#include "derm-metric-text.h"
#include "derm-planner.h"
#include "derm-progress-report.h"
#include "derm-protocol.h"
#include "derm-comparison.h"
#include "derm-region.h"
#include "derm-store-compare.h"
#include "derm-trend.h"
#include "derm-store-documents.h"
#include "derm-store-planner.h"
#include "derm-store-private.h"
#include "derm-test-utils.h"
#include "derm-treatment.h"
#include "derm-client.h"
#include "derm-validate.h"

/* --- helpers ----------------------------------------------------------- */

/* Runs a poppler tool; fails the test when it does not run or fails */
static char *
run_tool (const char * const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return g_steal_pointer (&out);
}

/* pdftotext of @pdf, in reading order (-layout: a label and its value on
 * one line), every run of white space made one space, lines joined */
static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *out = run_tool (argv);
  GString *text = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = out; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p == '\f')
        space = TRUE;
      else
        {
          if (space && text->len > 0)
            g_string_append_c (text, ' ');
          space = FALSE;
          g_string_append_c (text, *p);
        }
    }
  return g_string_free (text, FALSE);
}

/* Asserts each of @expected appears in @text after the one before */
static void
assert_in_order (const char         *text,
                 const char * const *expected)
{
  const char *at = text;

  for (guint i = 0; expected[i] != NULL; i++)
    {
      const char *found = strstr (at, expected[i]);

      if (found == NULL)
        g_error ("“%s” is not in the text after “%.40s”:\n%s", expected[i],
                 i > 0 ? expected[i - 1] : "(start)", text);
      at = found + strlen (expected[i]);
    }
}

/* Image lines of `pdfimages -list` (type "image", not their soft masks),
 * as "WIDTHxHEIGHT" */
static GPtrArray *
pdf_images (const char *pdf)
{
  const char *argv[] = { "pdfimages", "-list", pdf, NULL };
  g_autofree char *out = run_tool (argv);
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *images = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto (GStrv) cols = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      GPtrArray *words = g_ptr_array_new ();

      for (guint c = 0; cols[c] != NULL; c++)
        if (*cols[c] != '\0')
          g_ptr_array_add (words, cols[c]);
      if (words->len > 4 && g_str_equal (g_ptr_array_index (words, 2), "image"))
        g_ptr_array_add (images, g_strdup_printf ("%sx%s", (char *) g_ptr_array_index (words, 3),
                                                  (char *) g_ptr_array_index (words, 4)));
      g_ptr_array_free (words, TRUE);
    }
  return images;
}

/* Renders page @page (from 1) with pdftoppm, grey, at 40 dpi */
static cairo_surface_t *
render_page (const char *pdf,
             guint       page,
             const char *dir)
{
  g_autofree char *prefix = g_build_filename (dir, "page", NULL);
  g_autofree char *page_text = g_strdup_printf ("%u", page);
  g_autofree char *png = g_strdup_printf ("%s.png", prefix);
  const char *argv[] = { "pdftoppm", "-gray", "-r", "40", "-f", page_text, "-l", page_text,
                         "-singlefile", "-png", pdf, prefix, NULL };
  g_autofree char *out = run_tool (argv);
  cairo_surface_t *surface = cairo_image_surface_create_from_png (png);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_unlink (png);
  return surface;
}

/* The share of pixels whose grey differs by more than 64 of 255, or 1 when
 * the sizes differ */
static double
page_difference (cairo_surface_t *a,
                 cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a);
  int h = cairo_image_surface_get_height (a);
  guint64 differing = 0;

  if (w != cairo_image_surface_get_width (b) || h != cairo_image_surface_get_height (b))
    return 1.0;
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  for (int y = 0; y < h; y++)
    {
      const guint32 *ra = (const guint32 *) (cairo_image_surface_get_data (a) + y * cairo_image_surface_get_stride (a));
      const guint32 *rb = (const guint32 *) (cairo_image_surface_get_data (b) + y * cairo_image_surface_get_stride (b));

      for (int x = 0; x < w; x++)
        {
          int ga = (ra[x] >> 8) & 0xff;
          int gb = (rb[x] >> 8) & 0xff;

          if (ABS (ga - gb) > 64)
            differing++;
        }
    }
  return (double) differing / ((double) w * h);
}

/* Within tolerance: fewer than 0.3 % of the pixels clearly different, so
 * a changed word or a moved block fails while anti-aliasing does not */
#define PAGE_TOLERANCE 0.003

/* Compares page @page of @pdf with tests/reference/documents/@name */
static void
assert_page_matches (const char *pdf,
                     guint       page,
                     const char *name,
                     const char *dir)
{
  const char *source = g_getenv ("DERMIS_SOURCE_DIR");
  g_autofree char *reference = NULL;
  cairo_surface_t *rendered = render_page (pdf, page, dir);
  cairo_surface_t *expected;
  double diff;

  g_assert_nonnull (source);
  reference = g_build_filename (source, "tests", "reference", "documents", name, NULL);
  if (g_strcmp0 (g_getenv ("DERMIS_UPDATE_REFERENCES"), "1") == 0)
    {
      g_autofree char *folder = g_path_get_dirname (reference);

      g_mkdir_with_parents (folder, 0755);
      g_assert_cmpint (cairo_surface_write_to_png (rendered, reference), ==, CAIRO_STATUS_SUCCESS);
    }
  expected = cairo_image_surface_create_from_png (reference);
  g_assert_cmpint (cairo_surface_status (expected), ==, CAIRO_STATUS_SUCCESS);
  diff = page_difference (rendered, expected);
  if (diff >= PAGE_TOLERANCE)
    {
      g_autofree char *saved = g_build_filename (dir, name, NULL);

      cairo_surface_write_to_png (rendered, saved);
      g_error ("page %u differs from %s in %.2f %% of its pixels (rendered: %s)",
               page, reference, diff * 100, saved);
    }
  cairo_surface_destroy (rendered);
  cairo_surface_destroy (expected);
}

static GBytes *
make_logo (const char *dir)
{
  g_autofree char *path = NULL;
  guint8 *rgb = g_malloc (120 * 60 * 3);
  char *data;
  gsize size;

  for (int y = 0; y < 60; y++)
    for (int x = 0; x < 120; x++)
      {
        guint8 *p = rgb + (y * 120 + x) * 3;
        gboolean disc = (x - 30) * (x - 30) + (y - 30) * (y - 30) < 26 * 26;

        p[0] = disc ? 30 : (x > 64 ? 200 : 255);
        p[1] = disc ? 110 : (x > 64 ? 70 : 255);
        p[2] = disc ? 160 : (x > 64 ? 90 : 255);
      }
  path = g_build_filename (dir, "logo.png", NULL);
  derm_test_write_png (path, 120, 60, rgb, 120 * 3);
  g_free (rgb);
  g_assert_true (g_file_get_contents (path, &data, &size, NULL));
  return g_bytes_new_take (data, size);
}

/* --- the letterhead ---------------------------------------------------- */

static void
test_letterhead_round_trip (DermTestStore *f,
                            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) logo = make_logo (f->dir);
  g_autoptr (GBytes) got_logo = NULL;
  g_autoptr (GBytes) not_png = g_bytes_new_static ("\xff\xd8\xff\xe0 JFIF", 10);
  g_autoptr (GBytes) broken_png = g_bytes_new_static ("\x89PNG\r\n\x1a\n broken", 15);
  g_autofree char *name = NULL;
  g_autofree char *contact = NULL;
  DermPaper paper;

  /* A new database: nothing set, A4 */
  g_assert_true (derm_store_get_letterhead (f->store, &name, &contact, &got_logo, &paper, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "");
  g_assert_cmpstr (contact, ==, "");
  g_assert_null (got_logo);
  g_assert_cmpint (paper, ==, DERM_PAPER_A4);
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&contact, g_free);

  g_assert_true (derm_document_check_logo (logo, &error));
  g_assert_true (derm_store_set_letterhead (f->store, "  Lumen Skin Clinic ", "12 High Street, Bath",
                                            logo, DERM_PAPER_LETTER, &error));
  g_assert_no_error (error);
  g_assert_true (derm_store_get_letterhead (f->store, &name, &contact, &got_logo, &paper, &error));
  g_assert_cmpstr (name, ==, "Lumen Skin Clinic");
  g_assert_cmpstr (contact, ==, "12 High Street, Bath");
  g_assert_true (g_bytes_equal (logo, got_logo));
  g_assert_cmpint (paper, ==, DERM_PAPER_LETTER);

  /* Bad input is refused and changes nothing */
  g_assert_false (derm_store_set_letterhead (f->store, "Two\nlines", "", NULL, DERM_PAPER_A4, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (derm_store_set_letterhead (f->store, "X", "", not_png, DERM_PAPER_A4, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (derm_document_check_logo (broken_png, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&got_logo, g_bytes_unref);
  g_assert_true (derm_store_get_letterhead (f->store, &name, NULL, &got_logo, &paper, &error));
  g_assert_cmpstr (name, ==, "Lumen Skin Clinic");
  g_assert_nonnull (got_logo);
  g_assert_cmpint (paper, ==, DERM_PAPER_LETTER);
}

/* --- aftercare advice -------------------------------------------------- */

static void
test_aftercare_template_store (DermTestStore *f,
                               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermProtocol) protocol = derm_store_find_protocol (f->store, "Microneedling, face", &error);
  g_autoptr (DermProtocol) extra = derm_protocol_copy (protocol);
  g_autoptr (DermAftercareTemplate) t = NULL;
  g_autoptr (DermAftercareTemplate) got = NULL;
  gint64 id = derm_protocol_get_id (protocol);

  /* Never edited: the built-in advice */
  t = derm_store_get_aftercare_template (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_null (derm_aftercare_template_get_updated_at (t));
  g_assert_cmpuint (derm_aftercare_template_get_actives_days (t), ==, 5);
  g_assert_nonnull (strstr (derm_aftercare_template_get_sun (t), "SPF 50"));

  derm_aftercare_template_set_sun (t, "Stay in the shade for three days.\nSPF 30 after that.");
  derm_aftercare_template_set_actives_days (t, 7);
  g_assert_true (derm_store_save_aftercare_template (f->store, t, &error));
  g_assert_no_error (error);
  g_assert_nonnull (derm_aftercare_template_get_updated_at (t));
  got = derm_store_get_aftercare_template (f->store, id, &error);
  g_assert_cmpstr (derm_aftercare_template_get_sun (got), ==, "Stay in the shade for three days.\nSPF 30 after that.");
  g_assert_cmpuint (derm_aftercare_template_get_actives_days (got), ==, 7);
  g_clear_object (&got);

  /* Other protocols and sessions outside a series keep the built-in advice */
  got = derm_store_get_aftercare_template (f->store, 0, &error);
  g_assert_cmpuint (derm_aftercare_template_get_actives_days (got), ==, 5);
  g_clear_object (&got);

  /* Refused, nothing changed: an empty section, too many days, no such protocol */
  derm_aftercare_template_set_call (t, "   ");
  g_assert_false (derm_store_save_aftercare_template (f->store, t, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_REQUIRED);
  g_clear_error (&error);
  derm_aftercare_template_set_call (t, "Call us.");
  derm_aftercare_template_set_actives_days (t, DERM_AFTERCARE_MAX_DAYS + 1);
  g_assert_false (derm_store_save_aftercare_template (f->store, t, &error));
  g_assert_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  derm_aftercare_template_set_actives_days (t, 3);
  derm_aftercare_template_set_protocol_id (t, 9999);
  g_assert_false (derm_store_save_aftercare_template (f->store, t, &error));
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  got = derm_store_get_aftercare_template (f->store, id, &error);
  g_assert_cmpuint (derm_aftercare_template_get_actives_days (got), ==, 7);
  g_clear_object (&got);

  /* Reset: the built-in advice again */
  g_assert_true (derm_store_reset_aftercare_template (f->store, id, &error));
  got = derm_store_get_aftercare_template (f->store, id, &error);
  g_assert_null (derm_aftercare_template_get_updated_at (got));
  g_clear_object (&got);

  /* A deleted protocol takes its advice along: a new protocol that gets
   * the same id starts from the built-in advice */
  derm_protocol_set_name (extra, "Short-lived");
  g_assert_true (derm_store_add_protocol (f->store, extra, &error));
  g_assert_no_error (error);
  derm_aftercare_template_set_protocol_id (t, derm_protocol_get_id (extra));
  g_assert_true (derm_store_save_aftercare_template (f->store, t, &error));
  g_assert_true (derm_store_delete_protocol (f->store, derm_protocol_get_id (extra), &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_changes (derm_store_get_db (f->store)), >=, 0);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (derm_store_get_db (f->store),
                                         "SELECT count(*) FROM aftercare_templates", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);
  }
}

/* --- the aftercare sheet ----------------------------------------------- */

typedef struct
{
  gint64  session_id;
  char   *session_day;   /* "2 June 2025" */
  char   *next;          /* the next appointment as the sheet prints it */
} SheetFixture;

/* A client with a series of "Microneedling, face" booked from a fixed
 * "now" in 2025, its first appointment marked done with a session with
 * depths and a practitioner; the protocol's advice edited */
static void
make_sheet_records (DermTestStore *f,
                    SheetFixture  *s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_utc (2025, 6, 1, 8, 0, 0);
  g_autoptr (DermPlanner) planner = NULL;
  g_autoptr (DermProtocol) protocol = NULL;
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GPtrArray) appointments = NULL;
  g_autoptr (DermTreatment) treatment = NULL;
  g_autoptr (DermAftercareTemplate) advice = NULL;
  g_autoptr (GDateTime) next_start = NULL;
  g_autoptr (GBytes) logo = make_logo (f->dir);
  g_autofree char *day_iso = NULL;
  g_autofree char *when = NULL;
  DermPlanRequest request = { 0 };
  DermAppointment *first, *second;
  gint64 client_id;
  GDate day;

  g_assert_true (derm_store_set_letterhead (f->store, "Lumen Skin Clinic", "12 High Street, Bath · 01225 555 010",
                                            logo, DERM_PAPER_A4, &error));
  g_assert_no_error (error);
  client_id = derm_test_add_client (f->store, "Zoë Müller");
  derm_store_set_clock (f->store, now);
  planner = derm_store_load_planner (f->store, NULL, &error);
  g_assert_no_error (error);
  derm_planner_set_now (planner, now);
  protocol = derm_store_find_protocol (f->store, "Microneedling, face", &error);
  g_assert_no_error (error);
  request.protocol = protocol;
  request.client_id = client_id;
  request.start_date = "2025-06-02";
  request.preferred_time = 10 * 60;
  request.with_follow_up = TRUE;
  proposal = derm_planner_propose_series (planner, &request, &error);
  g_assert_no_error (error);
  derm_test_assert_bookable (proposal);
  g_assert_true (derm_store_book_proposal (f->store, proposal, &error));
  g_assert_no_error (error);

  appointments = derm_store_list_client_appointments (f->store, client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (appointments->len, >=, 2);
  first = g_ptr_array_index (appointments, 0);
  second = g_ptr_array_index (appointments, 1);
  g_assert_true (derm_appointment_get_local_date (first, &day));
  day_iso = derm_date_format (&day);
  s->session_id = derm_test_add_session (f->store, client_id, day_iso);
  treatment = derm_store_get_treatment (f->store, s->session_id, &error);
  g_assert_no_error (error);
  derm_treatment_set_practitioner (treatment, "Dr Ana Ruiz");
  derm_treatment_set_areas (treatment, "Forehead, cheeks");
  derm_treatment_clear_depths (treatment);
  derm_treatment_set_depth (treatment, "forehead", 0.5);
  derm_treatment_set_depth (treatment, "left cheek", 1.5);
  g_assert_true (derm_store_update_treatment (f->store, treatment, &error));
  g_assert_no_error (error);
  g_assert_true (derm_store_mark_appointment_done (f->store, derm_appointment_get_id (first), s->session_id, &error));
  g_assert_no_error (error);

  advice = derm_store_get_aftercare_template (f->store, derm_protocol_get_id (protocol), &error);
  derm_aftercare_template_set_sun (advice, "Stay in the shade for three days. Then SPF 50 every morning.");
  derm_aftercare_template_set_actives_days (advice, 7);
  derm_aftercare_template_set_actives (advice, "retinol and exfoliating acids");
  g_assert_true (derm_store_save_aftercare_template (f->store, advice, &error));
  g_assert_no_error (error);

  s->session_day = derm_date_format_display (day_iso, TRUE);
  next_start = derm_appointment_dup_start (second);
  s->next = g_date_time_format (next_start, "%A %-d %B %Y at %H:%M");
}

static void
sheet_fixture_clear (SheetFixture *s)
{
  g_free (s->session_day);
  g_free (s->next);
}

static void
test_aftercare_sheet_pdf (DermTestStore *f,
                          gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  SheetFixture s = { 0 };
  g_autofree char *pdf = g_build_filename (f->dir, "aftercare.pdf", NULL);
  g_autofree char *letter = g_build_filename (f->dir, "aftercare-letter.pdf", NULL);
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GPtrArray) images = NULL;
  GDate until;

  make_sheet_records (f, &s);
  id = g_strdup_printf ("%lld", (long long) s.session_id);
  {
    const char *args[] = { "--data-dir", f->data_dir, "aftercare", id, "--out", pdf, NULL };

    g_assert_cmpint (derm_test_run_cli (args, NULL, &out, &err), ==, 0);
  }

  text = pdf_text (pdf);
  derm_date_parse ("2025-06-02", &until);
  {
    g_autofree char *until_text = NULL;
    g_autoptr (DermTreatment) t = derm_store_get_treatment (f->store, s.session_id, &error);
    g_autofree char *actives = NULL;
    GDate d;

    derm_date_parse (derm_treatment_get_date (t), &d);
    g_date_add_days (&d, 7);
    {
      g_autofree char *iso = derm_date_format (&d);

      until_text = derm_date_format_display (iso, TRUE);
    }
    actives = g_strdup_printf ("For 7 days after the session, until %s, do not use: retinol and exfoliating acids.",
                               until_text);
    {
      const char *expected[] = {
        "Lumen Skin Clinic", "12 High Street, Bath · 01225 555 010",
        "Aftercare after your microneedling session",
        "Client", "Zoë Müller",
        "Session", s.session_day,
        "Treatment", "Microneedling, face",
        "Areas treated", "Forehead, cheeks",
        "Needle depth", "forehead 0.5 mm, left cheek 1.5 mm",
        "Practitioner", "Dr Ana Ruiz",
        "Next appointment", s.next,
        "Sun and SPF", "Stay in the shade for three days. Then SPF 50 every morning.",
        "Cleanser and moisturiser", "gentle, fragrance-free cleanser",
        "Active ingredients", actives,
        "What is normal", "Redness like a mild sunburn",
        "When to call the clinic", "blisters", "12 High Street, Bath · 01225 555 010",
        "Page 1 of 1",
        NULL
      };

      assert_in_order (text, expected);
    }
  }

  /* The logo is embedded, at its own size */
  images = pdf_images (pdf);
  g_assert_cmpuint (images->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (images, 0), ==, "120x60");

  /* The page as a reference rendering shows it */
  assert_page_matches (pdf, 1, "aftercare-a4.png", f->dir);

  /* Letter: the paper size changes, the text stays */
  {
    const char *args[] = { "--data-dir", f->data_dir, "aftercare", id, "--out", letter, "--paper", "letter", NULL };
    const char *info[] = { "pdfinfo", letter, NULL };
    g_autofree char *letter_info = NULL;
    g_autofree char *letter_text = NULL;

    g_assert_cmpint (derm_test_run_cli (args, NULL, NULL, NULL), ==, 0);
    letter_info = run_tool (info);
    g_assert_nonnull (strstr (letter_info, "612 x 792 pts"));
    letter_text = pdf_text (letter);
    g_assert_nonnull (strstr (letter_text, s.next));
    assert_page_matches (letter, 1, "aftercare-letter.png", f->dir);
  }
  sheet_fixture_clear (&s);
}

/* The reference comparison can fail: the same sheet for another client
 * name or without the logo is out of tolerance */
static void
test_aftercare_sheet_reference_fails (DermTestStore *f,
                                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  SheetFixture s = { 0 };
  g_autofree char *pdf = g_build_filename (f->dir, "changed.pdf", NULL);
  g_autofree char *reference = g_build_filename (g_getenv ("DERMIS_SOURCE_DIR"), "tests", "reference",
                                                 "documents", "aftercare-a4.png", NULL);
  g_autoptr (DermDocument) doc = NULL;
  cairo_surface_t *expected, *rendered;

  make_sheet_records (f, &s);
  g_assert_true (derm_store_set_letterhead (f->store, "Lumen Skin Clinic", "12 High Street, Bath · 01225 555 010",
                                            NULL, DERM_PAPER_A4, &error));
  doc = derm_aftercare_sheet_new (f->store, s.session_id, &error);
  g_assert_no_error (error);
  g_assert_true (derm_document_write_pdf (doc, DERM_PAPER_A4, pdf, f->data_dir, FALSE, &error));
  g_assert_no_error (error);
  expected = cairo_image_surface_create_from_png (reference);
  g_assert_cmpint (cairo_surface_status (expected), ==, CAIRO_STATUS_SUCCESS);
  rendered = render_page (pdf, 1, f->dir);
  g_assert_cmpfloat (page_difference (rendered, expected), >=, PAGE_TOLERANCE);
  cairo_surface_destroy (rendered);
  cairo_surface_destroy (expected);

  /* Nor does an export overwrite the first one unless asked */
  g_assert_false (derm_document_write_pdf (doc, DERM_PAPER_A4, pdf, f->data_dir, FALSE, &error));
  g_assert_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_EXISTS);
  sheet_fixture_clear (&s);
}

static void
test_aftercare_cli_errors (DermTestStore *f,
                           gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "x.pdf", NULL);
  g_autofree char *in_data = g_build_filename (f->data_dir, "x.pdf", NULL);
  g_autofree char *db = g_build_filename (f->data_dir, "dermis.db", NULL);
  g_autofree char *err = NULL;
  gint64 client = derm_test_add_client (f->store, "Ada Lovelace");
  gint64 session = derm_test_add_session (f->store, client, "2025-03-01");
  g_autofree char *id = g_strdup_printf ("%lld", (long long) session);
  struct { const char *args[10]; int status; const char *says; } cases[] = {
    { { "--data-dir", f->data_dir, "aftercare", "999", "--out", pdf, NULL }, 3, "No session with ID 999" },
    { { "--data-dir", f->data_dir, "aftercare", "abc", "--out", pdf, NULL }, 2, "not a session ID" },
    { { "--data-dir", f->data_dir, "aftercare", id, NULL }, 2, "--out FILE.pdf" },
    { { "--data-dir", f->data_dir, "aftercare", id, "--out", pdf, "--paper", "a5", NULL }, 2, "a4 or letter" },
    { { "--data-dir", f->data_dir, "aftercare", id, "--out", in_data, NULL }, 4, "inside the Dermis data folder" },
    { { "--data-dir", f->data_dir, "aftercare", id, "--out", db, "--force", NULL }, 4, "inside the Dermis data folder" },
    /* The destination is refused before the session is even looked up */
    { { "--data-dir", f->data_dir, "aftercare", "999", "--out", db, NULL }, 4, "inside the Dermis data folder" },
    { { "--data-dir", f->data_dir, "aftercare", "999", "--out", f->dir, NULL }, 4, "is a folder" },
    { { "--data-dir", f->data_dir, "clinic", "set", "--logo", db, NULL }, 4, "not a readable PNG" },
    { { "--data-dir", f->data_dir, "clinic", "set", NULL }, 2, "Give what to change" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (derm_test_run_cli (cases[i].args, NULL, NULL, &err), ==, cases[i].status);
      g_assert_nonnull (strstr (err, cases[i].says));
      g_assert_null (strchr (err, '\n') != NULL && strchr (err, '\n')[1] != '\0' ? "two lines" : NULL);
    }
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (in_data, G_FILE_TEST_EXISTS));

  /* A session outside a series gets the advice for sessions outside a
   * series, and "none booked" */
  {
    const char *args[] = { "--data-dir", f->data_dir, "aftercare", id, "--out", pdf, NULL };
    g_autofree char *text = NULL;
    const char *expected[] = { "Ada Lovelace", "1 March 2025", "None booked yet", "For 5 days", NULL };

    g_assert_cmpint (derm_test_run_cli (args, NULL, NULL, NULL), ==, 0);
    text = pdf_text (pdf);
    assert_in_order (text, expected);
    g_assert_null (strstr (text, "Treatment "));
  }
}

/* --- layout ------------------------------------------------------------ */

static void
test_document_pages (DermTestStore *f,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermDocument) doc = derm_document_new ("Long document", "3 December 2026");
  g_autofree char *pdf = g_build_filename (f->dir, "long.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GString) expect = g_string_new (NULL);
  double w, h;

  for (guint i = 1; i <= 60; i++)
    {
      g_autofree char *heading = g_strdup_printf ("Section %u", i);

      derm_document_add_heading (doc, heading);
      derm_document_add_paragraph (doc, "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
                                   "tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam.");
    }
  derm_paper_get_size (DERM_PAPER_A4, &w, &h);
  g_assert_cmpuint (derm_document_paginate (doc, w, h), >=, 3);
  g_assert_true (derm_document_write_pdf (doc, DERM_PAPER_A4, pdf, f->data_dir, FALSE, &error));
  g_assert_no_error (error);
  text = pdf_text (pdf);
  {
    const char *expected[] = { "Long document", "Section 1 ", "Section 2 ", "Section 30 ", "Section 59 ",
                               "Section 60 ", NULL };

    assert_in_order (text, expected);
  }
  /* Every page carries its number of the total */
  {
    guint n = derm_document_paginate (doc, w, h);

    for (guint p = 1; p <= n; p++)
      {
        g_autofree char *page = g_strdup_printf ("Page %u of %u", p, n);

        g_assert_nonnull (strstr (text, page));
      }
  }
}


/* --- the progress report ---------------------------------------------- */

#define REPORT_W 640
#define REPORT_H 480

typedef struct
{
  gint64      client_id;
  gint64      sessions[3];
  DermRegion *region;       /* "Blotch" on the first front photo */
} ReportFixture;

/* Zoë Müller, born 14 July 1985: three sessions (January to March 2024);
 * front photos whose red blotch fades clearly (45, 25, 5), close-up
 * photos of unchanged skin (20, 20, 20); a region "Blotch" on the first
 * front photo; the next session booked for 24 April 2024 */
static void
make_report_records (DermTestStore *f,
                     ReportFixture *r)
{
  static const char *dates[3] = { "2024-01-10", "2024-02-14", "2024-03-20" };
  static const double fading[3] = { 45, 25, 5 };
  static const double same[3] = { 20, 20, 20 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) logo = make_logo (f->dir);
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermAppointment) next = derm_appointment_new ();
  g_autoptr (GPtrArray) front = NULL;
  g_autoptr (GPtrArray) close_up = NULL;
  double cx = REPORT_W / 2.0, cy = REPORT_H / 2.0, radius = MIN (REPORT_W, REPORT_H) / 7.0;

  g_assert_true (derm_store_set_letterhead (f->store, "Lumen Skin Clinic", "12 High Street, Bath · 01225 555 010",
                                            logo, DERM_PAPER_A4, &error));
  g_assert_no_error (error);
  r->client_id = derm_test_add_client (f->store, "Zoë Müller");
  client = derm_store_get_client (f->store, r->client_id, &error);
  g_assert_no_error (error);
  derm_client_set_date_of_birth (client, "1985-07-14");
  g_assert_true (derm_store_update_client (f->store, client, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    r->sessions[i] = derm_test_add_session (f->store, r->client_id, dates[i]);
  front = derm_test_import_skin_series (f, r->client_id, DERM_PHOTO_VIEW_FRONT, r->sessions, fading, 3,
                                        REPORT_W, REPORT_H);
  close_up = derm_test_import_skin_series (f, r->client_id, DERM_PHOTO_VIEW_CLOSE_UP, r->sessions, same, 3,
                                           REPORT_W, REPORT_H);

  r->region = derm_region_new_rect ("Blotch", cx - radius * 1.4, cy - radius * 1.4, radius * 2.8, radius * 2.8);
  derm_region_set_client_id (r->region, r->client_id);
  derm_region_set_view (r->region, DERM_PHOTO_VIEW_FRONT);
  derm_region_set_frame_sha256 (r->region, derm_photo_get_sha256 (g_ptr_array_index (front, 0)));
  g_assert_true (derm_store_save_region (f->store, r->region, &error));
  g_assert_no_error (error);

  {
    g_autoptr (GDateTime) now = g_date_time_new_utc (2024, 3, 31, 8, 0, 0);

    derm_store_set_clock (f->store, now);
  }
  derm_appointment_set_client_id (next, r->client_id);
  derm_appointment_set_room (next, "Room 1");
  g_assert_true (derm_appointment_set_start (next, "2024-04-24T10:00", "Europe/London"));
  derm_appointment_set_duration_minutes (next, 60);
  derm_appointment_set_status (next, DERM_APPOINTMENT_BOOKED);
  derm_appointment_set_kind (next, DERM_APPOINTMENT_SESSION);
  g_assert_true (derm_store_add_appointment (f->store, next, &error));
  g_assert_no_error (error);
}

/* The last front photo against the first over "Blotch", or the last
 * close-up photo over the whole photo, as the compare window measures
 * them (through the analysis cache the report has filled) */
static DermCompareMetrics
last_pair_metrics (DermTestStore *f,
                   ReportFixture *r,
                   DermPhotoView  view,
                   DermRegion    *region)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermTrend) trend = derm_trend_new (f->library, r->client_id, view, region, DERM_METRIC_A_MEAN, NULL);
  const DermTrendPoint *last;

  g_assert_true (derm_trend_compute (trend, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (derm_trend_get_n_points (trend), ==, 3);
  g_assert_cmpuint (derm_trend_get_n_computed (trend), ==, 0);   /* all from the report's cache */
  last = derm_trend_get_point (trend, 2);
  g_assert_nonnull (last->metrics);
  return *last->metrics;
}

/* How many of @images are @size ("WIDTHxHEIGHT") */
static guint
count_images (GPtrArray  *images,
              const char *size)
{
  guint n = 0;

  for (guint i = 0; i < images->len; i++)
    n += g_str_equal (g_ptr_array_index (images, i), size);
  return n;
}

static void
test_report_pdf (DermTestStore *f,
                 gconstpointer  data)
{
  ReportFixture r = { 0 };
  g_autofree char *pdf = g_build_filename (f->dir, "report.pdf", NULL);
  g_autofree char *letter = g_build_filename (f->dir, "report-letter.pdf", NULL);
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autoptr (GPtrArray) images = NULL;
  DermCompareMetrics front, close_up;

  make_report_records (f, &r);
  id = g_strdup_printf ("%lld", (long long) r.client_id);
  {
    const char *args[] = { "--data-dir", f->data_dir, "--json", "report", id, "--to", "2024-03-31",
                           "--out", pdf, NULL };

    g_assert_cmpint (derm_test_run_cli (args, NULL, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "\"views\" : 2"));
    g_assert_nonnull (strstr (out, "\"photos\" : 4"));
  }
  front = last_pair_metrics (f, &r, DERM_PHOTO_VIEW_FRONT, r.region);
  close_up = last_pair_metrics (f, &r, DERM_PHOTO_VIEW_CLOSE_UP, NULL);
  /* The fixture does what it says: redness fell clearly on the front,
   * not on the close-ups */
  g_assert_cmpint (derm_compare_metrics_get_verdict (&front, DERM_METRIC_A_MEAN), ==, DERM_CHANGE_IMPROVED);
  /* The close-ups are unchanged skin (2 degrees and 2 % zoom apart, saved
   * as JPEG): every metric says "No clear change", not only "not Improved" */
  for (guint i = 0; i < DERM_N_METRICS; i++)
    {
      g_autofree char *statement = derm_compare_metrics_dup_statement (&close_up, i);

      if (derm_compare_metrics_get_verdict (&close_up, i) != DERM_CHANGE_NONE)
        g_error ("Close-up, unchanged skin: %s (change %+.4f, threshold %g)", statement,
                 derm_compare_metrics_get_change (&close_up, i), derm_metric_get_info (i)->clear_change);
      g_assert_nonnull (strstr (statement, "No clear change"));
    }

  text = pdf_text (pdf);
  {
    g_autofree char *front_a = derm_compare_metrics_dup_statement (&front, DERM_METRIC_A_MEAN);
    g_autofree char *front_rough = derm_compare_metrics_dup_statement (&front, DERM_METRIC_ROUGHNESS);
    g_autofree char *close_a = derm_compare_metrics_dup_statement (&close_up, DERM_METRIC_A_MEAN);
    g_autofree char *close_red = derm_compare_metrics_dup_statement (&close_up, DERM_METRIC_RED_AREA_PCT);
    g_autofree char *version = g_strdup_printf ("algorithm version %d", DERM_IMAGING_ALGORITHM_VERSION);
    const char *expected[] = {
      "Lumen Skin Clinic", "12 High Street, Bath · 01225 555 010",
      "Progress report",
      "Client", "Zoë Müller",
      "Date of birth", "14 July 1985",
      "Period", "Up to 31 March 2024",
      "Treatment series",
      "Session 1", "10 January 2024",
      "Session 2", "14 February 2024",
      "Session 3", "20 March 2024",
      "Next booked", "Wednesday 24 April 2024 at 10:00",
      "Front",
      "Before", "After, aligned", "Change in redness (a*)",
      "10 January 2024 · Session 1", "20 March 2024 · Session 3",
      "Change in redness, after minus before",
      "Blotch", front_a, front_rough,
      "Close-up",
      "Whole photo", close_a, close_red,
      "How these figures were made", version,
      NULL
    };

    assert_in_order (text, expected);
    /* The close-up's unchanged skin is never called improved, worse or changed */
    g_assert_null (strstr (strstr (text, "Close-up"), "Improved"));
    g_assert_null (strstr (strstr (text, "Close-up"), "Worse"));
    g_assert_null (strstr (strstr (text, "Close-up"), ": Changed"));
    g_assert_nonnull (strstr (close_a, "No clear change"));
  }

  /* The logo and, per view, the first photo, the last aligned onto it and
   * the change map */
  images = pdf_images (pdf);
  g_assert_cmpuint (count_images (images, "640x480"), ==, 6);
  g_assert_cmpuint (count_images (images, "120x60"), ==, images->len - 6);   /* a logo on each page */

  assert_page_matches (pdf, 1, "report-a4-1.png", f->dir);
  assert_page_matches (pdf, 2, "report-a4-2.png", f->dir);

  /* Letter, one view, a period: the paper and the content follow */
  {
    const char *args[] = { "--data-dir", f->data_dir, "report", id, "--view", "close-up", "--from", "2024-02-01",
                           "--to", "2024-03-31", "--paper", "letter", "--out", letter, NULL };
    const char *info[] = { "pdfinfo", letter, NULL };
    g_autofree char *letter_info = NULL;
    g_autofree char *letter_text = NULL;
    g_autoptr (GPtrArray) letter_images = NULL;

    g_assert_cmpint (derm_test_run_cli (args, NULL, NULL, NULL), ==, 0);
    letter_info = run_tool (info);
    g_assert_nonnull (strstr (letter_info, "612 x 792 pts"));
    letter_text = pdf_text (letter);
    {
      const char *expected[] = { "Period", "1 February 2024 to 31 March 2024", "Session 2", "Session 3",
                                 "Close-up", "Before", "14 February 2024 · Session 2", NULL };

      assert_in_order (letter_text, expected);
    }
    g_assert_null (strstr (letter_text, "Session 1"));
    g_assert_null (strstr (letter_text, "Front"));
    letter_images = pdf_images (letter);
    g_assert_cmpuint (count_images (letter_images, "640x480"), ==, 3);
    assert_page_matches (letter, 1, "report-letter-1.png", f->dir);
  }
  g_clear_object (&r.region);
}

/* A value of @v the report words, to set in a test */
static double *
value_slot (DermMetricValues *v,
            DermMetric        metric)
{
  switch (metric)
    {
    case DERM_METRIC_A_MEAN:
      return &v->redness.a_mean;
    case DERM_METRIC_ERYTHEMA_INDEX:
      return &v->redness.ei_mean;
    case DERM_METRIC_RED_AREA_PCT:
      return &v->redness.red_area_pct;
    case DERM_METRIC_ROUGHNESS:
      return &v->texture.roughness;
    case DERM_METRIC_GLCM_CONTRAST:
      return &v->texture.glcm[0].contrast;
    case DERM_METRIC_GLCM_HOMOGENEITY:
      return &v->texture.glcm[0].homogeneity;
    case DERM_METRIC_A_MEDIAN:
    case DERM_METRIC_A_P90:
    case DERM_METRIC_L_MEAN:
    case DERM_METRIC_ITA_MEAN:
    case DERM_METRIC_L_UNEVENNESS:
    default:
      g_assert_not_reached ();
    }
}

/* A change of @fraction of the threshold in the better direction */
static char *
statement_for (DermMetric metric,
               double     fraction,
               double     sharpness_ratio)
{
  const DermMetricInfo *info = derm_metric_get_info (metric);
  DermCompareMetrics m = { 0 };
  double sign = info->improvement == DERM_IMPROVEMENT_HIGHER ? 1 : -1;

  m.quality_before.sharpness = 100;
  m.quality_after.sharpness = 100 * sharpness_ratio;
  *value_slot (&m.before, metric) = 10;
  *value_slot (&m.after, metric) = 10 + sign * fraction * info->clear_change;
  return derm_compare_metrics_dup_statement (&m, metric);
}

/* The words of a change inside its threshold: never "Improved", whatever
 * the metric; just past it, "Improved" (so the check can fail); texture
 * between a much softer and a sharper photo: not comparable, even when
 * the change is large */
static void
test_report_wording (void)
{
  for (guint i = 0; i < DERM_METRIC_TEXT_N_SHOWN; i++)
    {
      DermMetric metric = derm_metric_text_shown[i];
      const DermMetricInfo *info = derm_metric_get_info (metric);

      g_assert_cmpfloat (info->clear_change, >, 0);
      for (double fraction = 0.05; fraction < 1.0; fraction += 0.1)
        {
          g_autofree char *within = statement_for (metric, fraction, 1.0);

          g_assert_null (strstr (within, "Improved"));
          g_assert_null (strstr (within, "improved"));
          g_assert_nonnull (strstr (within, "No clear change"));
        }
      {
        g_autofree char *beyond = statement_for (metric, 1.5, 1.0);

        g_assert_nonnull (strstr (beyond, ": Improved."));
      }
      if (info->group == DERM_METRIC_GROUP_TEXTURE)
        {
          g_autofree char *softer = statement_for (metric, 5.0, 0.2);
          g_autofree char *sharper = statement_for (metric, 5.0, 3.0);

          g_assert_null (strstr (softer, "Improved"));
          g_assert_nonnull (strstr (softer, "Not comparable: the after photo is softer"));
          g_assert_null (strstr (sharper, "Improved"));
          g_assert_nonnull (strstr (sharper, "Not comparable: the after photo is sharper or more compressed"));
        }
    }
}

static void
test_report_cli_errors (DermTestStore *f,
                        gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "r.pdf", NULL);
  g_autofree char *existing = g_build_filename (f->dir, "existing.pdf", NULL);
  g_autofree char *id = NULL;
  gint64 client_id = derm_test_add_client (f->store, "Ada Lovelace");
  /* "ID" stands for the client's ID */
  struct
  {
    const char *args[8];
    int         status;
  } cases[] = {
    { { "report", "999", "--out", NULL }, 3 },
    { { "report", "ID", "--view", "sideways", "--out", NULL }, 2 },
    { { "report", "ID", "--from", "2024-13-01", "--out", NULL }, 2 },
    { { "report", "ID", "--from", "2024-03-01", "--to", "2024-02-01", "--out", NULL }, 4 },
    { { "report", "ID", NULL }, 2 },
  };

  id = g_strdup_printf ("%lld", (long long) client_id);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new ();
      g_autofree char *err = NULL;

      g_ptr_array_add (args, (char *) "--data-dir");
      g_ptr_array_add (args, f->data_dir);
      for (guint k = 0; cases[i].args[k] != NULL; k++)
        {
          g_ptr_array_add (args, g_str_equal (cases[i].args[k], "ID") ? id : (char *) cases[i].args[k]);
          if (g_str_equal (cases[i].args[k], "--out"))
            g_ptr_array_add (args, pdf);
        }
      g_ptr_array_add (args, NULL);
      g_assert_cmpint (derm_test_run_cli ((const char * const *) args->pdata, NULL, NULL, &err), ==, cases[i].status);
      /* One line that says what is wrong; nothing written */
      g_assert_cmpuint (strlen (err), >, 0);
      g_assert_null (strchr (err, '\n') == err + strlen (err) - 1 ? NULL : strchr (err, '\n'));
      g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
    }

  /* A client without photos or sessions still gets a report that says so */
  {
    const char *args[] = { "--data-dir", f->data_dir, "report", id, "--to", "2024-03-31", "--out", pdf, NULL };
    g_autofree char *text = NULL;

    g_assert_cmpint (derm_test_run_cli (args, NULL, NULL, NULL), ==, 0);
    text = pdf_text (pdf);
    {
      const char *expected[] = { "Ada Lovelace", "Sessions done", "None in this period", "Next booked",
                                 "Nothing booked yet", "There are no photos in this period.", NULL };

      assert_in_order (text, expected);
    }
  }
  /* An existing file is kept unless --force */
  g_assert_true (g_file_set_contents (existing, "keep", -1, NULL));
  {
    const char *args[] = { "--data-dir", f->data_dir, "report", id, "--out", existing, NULL };
    g_autofree char *contents = NULL;

    g_assert_cmpint (derm_test_run_cli (args, NULL, NULL, NULL), !=, 0);
    g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "keep");
  }
  /* Nor is one written in the data folder, even with --force: refused
   * before the report is built */
  {
    g_autofree char *db = g_build_filename (f->data_dir, "dermis.db", NULL);
    const char *args[] = { "--data-dir", f->data_dir, "report", id, "--out", db, "--force", NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (derm_test_run_cli (args, NULL, NULL, &err), ==, 4);
    g_assert_nonnull (strstr (err, "inside the Dermis data folder"));
  }
}

static void
on_report_progress (DermProgressReport *report,
                    GParamSpec         *pspec,
                    GArray             *values)
{
  double v = derm_progress_report_get_progress (report);

  g_array_append_val (values, v);
}

static void
store_async_result (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Off the main thread: progress rises on the caller's context to 1, and
 * a cancelled build ends with G_IO_ERROR_CANCELLED and no document */
static void
test_report_async (DermTestStore *f,
                   gconstpointer  data)
{
  ReportFixture r = { 0 };
  g_autoptr (DermProgressReport) report = NULL;
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;

  make_report_records (f, &r);
  report = derm_progress_report_new (f->library, r.client_id);
  derm_progress_report_set_today (report, "2024-03-31");
  g_signal_connect (report, "notify::progress", G_CALLBACK (on_report_progress), values);

  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (DermDocument) doc = NULL;

    derm_progress_report_build_async (report, NULL, store_async_result, &result);
    g_assert_true (derm_progress_report_get_running (report));
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    doc = derm_progress_report_build_finish (report, result, &error);
    g_assert_no_error (error);
    g_assert_nonnull (doc);
    g_assert_false (derm_progress_report_get_running (report));
    g_assert_cmpuint (values->len, >=, 3);
    for (guint i = 1; i < values->len; i++)
      g_assert_cmpfloat (g_array_index (values, double, i), >=, g_array_index (values, double, i - 1));
    g_assert_cmpfloat (g_array_index (values, double, values->len - 1), ==, 1.0);
    g_assert_cmpuint (derm_progress_report_get_n_views (report), ==, 2);
  }
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (DermDocument) doc = NULL;

    g_cancellable_cancel (cancellable);
    derm_progress_report_build_async (report, cancellable, store_async_result, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    doc = derm_progress_report_build_finish (report, result, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (doc);
    g_assert_false (derm_progress_report_get_running (report));
  }
  g_clear_object (&r.region);
}

/* Yellow outline pixels on every page of @doc, drawn at 2 px per point */
static guint
count_outline_pixels (DermDocument *doc)
{
  double w, h;
  guint n_pages, n = 0;

  derm_paper_get_size (DERM_PAPER_A4, &w, &h);
  n_pages = derm_document_paginate (doc, w, h);
  for (guint page = 0; page < n_pages; page++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (w * 2), (int) (h * 2));
      cairo_t *cr = cairo_create (surface);
      const guint8 *data;
      int stride;

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, 2, 2);
      derm_document_draw_page (doc, cr, page);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      data = cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface);
      for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
        for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
          {
            guint32 px = ((const guint32 *) (const void *) (data + (gsize) y * stride))[x];
            guint r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

            n += r > 220 && g > 180 && g < 240 && b < 90;
          }
      cairo_surface_destroy (surface);
    }
  return n;
}

/* A region drawn on a later photo of the period is measured on the first
 * photo, mapped onto it; the printed photos outline it there too */
static void
test_report_outlines_mapped_region (DermTestStore *f,
                                    gconstpointer  data)
{
  ReportFixture r = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) front = NULL;
  g_autoptr (DermRegion) later = NULL;
  g_autoptr (DermDocument) before_doc = NULL;
  g_autoptr (DermDocument) after_doc = NULL;
  g_autoptr (DermProgressReport) report = NULL;
  guint outlined_before, outlined_after;

  make_report_records (f, &r);
  report = derm_progress_report_new (f->library, r.client_id);
  derm_progress_report_set_today (report, "2024-03-31");
  derm_progress_report_set_view (report, DERM_PHOTO_VIEW_FRONT);
  before_doc = derm_progress_report_build (report, NULL, &error);
  g_assert_no_error (error);
  outlined_before = count_outline_pixels (before_doc);
  g_assert_cmpuint (outlined_before, >, 0);

  /* "Cheek" drawn on the last front photo, away from "Blotch" */
  front = derm_comparison_list_same_view (f->library, r.client_id, DERM_PHOTO_VIEW_FRONT, &error);
  g_assert_no_error (error);
  later = derm_region_new_rect ("Cheek", 40, 40, 120, 100);
  derm_region_set_client_id (later, r.client_id);
  derm_region_set_view (later, DERM_PHOTO_VIEW_FRONT);
  derm_region_set_frame_sha256 (later, derm_photo_get_sha256 (g_ptr_array_index (front, front->len - 1)));
  g_assert_true (derm_store_save_region (f->store, later, &error));
  g_assert_no_error (error);

  after_doc = derm_progress_report_build (report, NULL, &error);
  g_assert_no_error (error);
  outlined_after = count_outline_pixels (after_doc);
  /* the new outline on the first photo and on the change map */
  g_assert_cmpuint (outlined_after, >, outlined_before + 400);
  g_clear_object (&r.region);
}

static void
count_draw (cairo_t  *cr,
            double    width,
            double    height,
            gpointer  user_data)
{
  (*(guint *) user_data)++;
}

/* A refused destination is refused before the document is laid out or
 * drawn: the drawing block is never asked to draw */
static void
test_document_refused_before_layout (DermTestStore *f,
                                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DermDocument) doc = derm_document_new ("Refused", "3 December 2026");
  g_autofree char *existing = g_build_filename (f->dir, "existing.pdf", NULL);
  g_autofree char *in_data = g_build_filename (f->data_dir, "sheet.pdf", NULL);
  g_autofree char *fresh = g_build_filename (f->dir, "fresh.pdf", NULL);
  g_autofree char *contents = NULL;
  guint drawn = 0;

  derm_document_add_heading (doc, "Aftercare");
  derm_document_add_drawing (doc, 100, count_draw, &drawn, NULL);
  g_assert_true (g_file_set_contents (existing, "keep me", -1, NULL));

  g_assert_false (derm_document_write_pdf (doc, DERM_PAPER_A4, existing, f->data_dir, FALSE, &error));
  g_assert_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (derm_document_write_pdf (doc, DERM_PAPER_A4, in_data, f->data_dir, TRUE, &error));
  g_assert_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IN_DATA_DIR);
  g_clear_error (&error);
  g_assert_false (derm_document_write_pdf (doc, DERM_PAPER_A4, f->dir, f->data_dir, TRUE, &error));
  g_assert_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (drawn, ==, 0);
  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
  g_assert_false (g_file_test (in_data, G_FILE_TEST_EXISTS));

  /* An accepted one is drawn */
  g_assert_true (derm_document_write_pdf (doc, DERM_PAPER_A4, fresh, f->data_dir, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (drawn, >, 0);
}

static void
set_up (DermTestStore *f,
        gconstpointer  data)
{
  derm_test_store_set_up (f, "documents");
}

static void
tear_down (DermTestStore *f,
           gconstpointer  data)
{
  derm_test_store_tear_down (f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, DermTestStore, NULL, set_up, func, tear_down)
  ADD ("/documents/letterhead/round-trip-and-refusals", test_letterhead_round_trip);
  ADD ("/documents/aftercare/template-per-protocol", test_aftercare_template_store);
  ADD ("/documents/aftercare/sheet-pdf-text-images-pages", test_aftercare_sheet_pdf);
  ADD ("/documents/aftercare/reference-detects-a-change", test_aftercare_sheet_reference_fails);
  ADD ("/documents/aftercare/cli-errors-and-no-series", test_aftercare_cli_errors);
  ADD ("/documents/pdf/destination-refused-before-layout", test_document_refused_before_layout);
  ADD ("/documents/layout/pages-in-order", test_document_pages);
  ADD ("/documents/report/pdf-text-images-pages", test_report_pdf);
  ADD ("/documents/report/cli-errors-and-empty-report", test_report_cli_errors);
  ADD ("/documents/report/async-progress-and-cancel", test_report_async);
  ADD ("/documents/report/outlines-region-drawn-on-a-later-photo", test_report_outlines_mapped_region);
  g_test_add_func ("/documents/report/within-threshold-never-improved", test_report_wording);
#undef ADD

  return g_test_run ();
}
