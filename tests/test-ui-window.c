/* test-ui-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window driven through its actions: loading the client list,
 * archived clients, search, sorting, the new-client form, the page's
 * saved/deleted signals, adaptive folding; the application's error
 * window; the preferences. Screenshots go to $DERMIS_SCREENSHOT_DIR.
 */
#define G_LOG_DOMAIN "test-ui-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "derm-application.h"
#include "derm-client.h"
#include "derm-client-list.h"
#include "derm-client-merge.h"
#include "derm-client-page.h"
#include "derm-client-row.h"
#include "derm-preferences-window.h"
#include "derm-backup-page.h"
#include "derm-backup.h"
#include "derm-finding.h"
#include "derm-message-dialog.h"
#include "derm-screening.h"
#include "derm-store-private.h"
#include "derm-validate.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-treatment.h"
#include "derm-window.h"
#include "test-ui-util.h"

#define N_CLIENTS 30
#define N_ARCHIVED 1

static DermApplication *app;

/* How a fixture starts: with or without clients, and how wide */
typedef struct
{
  gboolean empty;
  int      width;
} Setup;

static const Setup setup_default = { FALSE, 1100 };
static const Setup setup_empty = { TRUE, 1100 };
static const Setup setup_narrow = { FALSE, 400 };

typedef struct
{
  char       *data_dir;
  DermStore  *store;
  DermWindow *window;
  gint64      zoe_id;
} Fixture;

static const struct {
  const char *name;
  const char *phone;
  const char *last_visit;
  gboolean    archived;
} clients[N_CLIENTS] = {
  { "Zoë Müller", "06 12 34 56 78", "2025-03-12", FALSE },
  { "Zoe Martin", "06 98 76 54 32", "2025-01-20", FALSE },
  { "Paul Mulder", NULL, NULL, FALSE },
  { "Amélie Laurent", "07 11 22 33 44", "2025-06-01", FALSE },
  { "Ana Silva", NULL, "2024-11-05", FALSE },
  { "Beatriz Costa", "+351 912 345 678", NULL, FALSE },
  { "Camille Dubois", NULL, "2025-05-18", FALSE },
  { "Chloé Bernard", NULL, NULL, FALSE },
  { "Daniela Rossi", "333 123 4567", "2025-02-02", FALSE },
  { "Elif Yılmaz", NULL, NULL, FALSE },
  { "Emma Johansson", NULL, "2025-04-30", FALSE },
  { "Fatima Haddad", NULL, NULL, FALSE },
  { "Gabriela Nowak", NULL, NULL, FALSE },
  { "Hannah Becker", "0151 2345678", "2024-08-14", TRUE },
  { "Inès Moreau", NULL, NULL, FALSE },
  { "Ingrid Larsen", NULL, "2025-07-07", FALSE },
  { "Julia Wagner", NULL, NULL, FALSE },
  { "Katarzyna Wiśniewska", NULL, NULL, FALSE },
  { "Laura García", "612 345 678", "2025-08-21", FALSE },
  { "Léa Petit", NULL, NULL, FALSE },
  { "Lucía Fernández", NULL, NULL, FALSE },
  { "Maya Cohen", NULL, "2024-12-24", FALSE },
  { "Nadia Benali", NULL, NULL, FALSE },
  { "Olivia Smith", "07700 900123", NULL, FALSE },
  { "Priya Sharma", NULL, "2025-09-09", FALSE },
  { "Rosa Jiménez", NULL, NULL, FALSE },
  { "Sofia Esposito", NULL, NULL, FALSE },
  { "Sophie Richard", NULL, "2025-03-12", FALSE },
  { "Valentina Bianchi", NULL, NULL, FALSE },
  { "Yuki Tanaka", NULL, NULL, FALSE },
};

static void
add_clients (Fixture *fixture)
{
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_autoptr (DermClient) client = derm_client_new ();
      g_autoptr (GError) error = NULL;

      derm_client_set_name (client, clients[i].name);
      derm_client_set_phone (client, clients[i].phone);
      g_assert_true (derm_store_add_client (fixture->store, client, &error));
      g_assert_no_error (error);

      if (i == 0)
        fixture->zoe_id = derm_client_get_id (client);

      if (clients[i].last_visit != NULL)
        {
          g_autoptr (DermTreatment) treatment = derm_treatment_new ();

          derm_treatment_set_client_id (treatment, derm_client_get_id (client));
          derm_treatment_set_date (treatment, clients[i].last_visit);
          derm_treatment_set_areas (treatment, "full face");
          derm_treatment_set_depth (treatment, "forehead", 0.5);
          g_assert_true (derm_store_add_treatment (fixture->store, treatment, &error));
          g_assert_no_error (error);
        }

      if (clients[i].archived)
        {
          g_assert_true (derm_store_set_client_archived (fixture->store,
                                                         derm_client_get_id (client),
                                                         TRUE, &error));
          g_assert_no_error (error);
        }
    }
}

static gboolean
list_loaded (gpointer data)
{
  DermClientList *list = data;

  return !derm_client_list_get_loading (list) &&
         derm_client_list_get_n_clients (list) > 0;
}

static gboolean
list_empty_loaded (gpointer data)
{
  DermClientList *list = data;

  return !derm_client_list_get_loading (list) && derm_client_list_get_n_clients (list) == 0;
}

static gboolean
window_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Setup *setup = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);

  /* Every test starts from the default settings */
  g_settings_reset (settings, "client-sort");
  g_settings_reset (settings, "show-archived");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
  g_settings_set_int (settings, "window-width", setup->width);

  fixture->data_dir = derm_test_make_data_dir ();
  g_setenv ("DERMIS_DATA_DIR", fixture->data_dir, TRUE);

  fixture->store = derm_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);

  if (!setup->empty)
    add_clients (fixture);

  fixture->window = g_object_ref_sink (derm_window_new (app, fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  derm_test_ui_await (window_allocated, fixture->window, "window allocated");

  if (!setup->empty)
    derm_test_ui_await (list_loaded, derm_window_get_client_list (fixture->window), "list loaded");
  else
    derm_test_ui_await (list_empty_loaded, derm_window_get_client_list (fixture->window),
                        "the empty client list to load");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  DermWindow *window = fixture->window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  derm_test_ui_await_tooltips ();
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  /* Nothing keeps the window alive once closed */
  derm_test_ui_await_finalized ((gpointer *) &window);

  g_clear_object (&fixture->store);
  derm_test_remove_dir (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

static GListModel *
fixture_model (Fixture *fixture)
{
  return derm_client_list_get_model (derm_window_get_client_list (fixture->window));
}

static DermClient *
model_client (GListModel *model,
              guint       position)
{
  DermClient *client = g_list_model_get_item (model, position);

  /* The model keeps a reference; tests only look */
  g_object_unref (client);
  return client;
}

static void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *param)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), action, param));
}

static void
test_list_loads_active_clients (Fixture       *fixture,
                                gconstpointer  data)
{
  DermClientList *list = derm_window_get_client_list (fixture->window);
  GListModel *model = fixture_model (fixture);

  g_assert_cmpuint (derm_client_list_get_n_clients (list), ==, N_CLIENTS);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CLIENTS - N_ARCHIVED);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_assert_false (derm_client_get_archived (model_client (model, i)));

  /* By name, in collation order: accents do not push names to the end */
  g_assert_cmpstr (derm_client_get_name (model_client (model, 0)), ==, "Amélie Laurent");
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    g_assert_cmpint (g_utf8_collate (derm_client_get_name (model_client (model, i - 1)),
                                     derm_client_get_name (model_client (model, i))), <=, 0);

  /* Wide, the list and the page sit side by side */
  g_assert_false (derm_client_page_get_folded (derm_window_get_client_page (fixture->window)));

  /* Nothing is selected: the window asks to pick a client */
  g_assert_null (derm_client_list_get_selected (list));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (derm_window_get_client_page (fixture->window))));

  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "client-list"));
}

static void
test_show_archived (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  DermClientList *list = derm_window_get_client_list (fixture->window);
  GListModel *model = fixture_model (fixture);
  gboolean found = FALSE;

  activate (fixture, "win.show-archived", NULL);

  g_assert_true (g_settings_get_boolean (settings, "show-archived"));
  g_assert_true (derm_client_list_get_show_archived (list));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CLIENTS);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      DermClient *client = model_client (model, i);

      if (derm_client_get_archived (client))
        {
          g_assert_cmpstr (derm_client_get_name (client), ==, "Hannah Becker");
          found = TRUE;
        }
    }
  g_assert_true (found);

  activate (fixture, "win.show-archived", NULL);
  g_assert_false (g_settings_get_boolean (settings, "show-archived"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CLIENTS - N_ARCHIVED);
}

static gboolean
has_n_items (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static void
test_search_entry (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *entry = derm_window_get_search_entry (fixture->window);
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  GListModel *model = fixture_model (fixture);
  gpointer args[2] = { model, GUINT_TO_POINTER (1) };
  GtkWidget *focus;

  activate (fixture, "win.search", NULL);
  focus = gtk_window_get_focus (GTK_WINDOW (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  /* Accents and case do not matter; every word must match */
  gtk_editable_set_text (GTK_EDITABLE (entry), "zoe mul");
  derm_test_ui_await (has_n_items, args, "has n items");
  g_assert_cmpstr (derm_client_get_name (model_client (model, 0)), ==, "Zoë Müller");

  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "client-list-search"));

  /* Enter opens the first match */
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (derm_client_page_get_client (page));
  g_assert_cmpint (derm_client_get_id (derm_client_page_get_client (page)), ==, fixture->zoe_id);
  g_assert_cmpint (derm_client_get_id (derm_client_list_get_selected (derm_window_get_client_list (fixture->window))),
                   ==, fixture->zoe_id);

  gtk_editable_set_text (GTK_EDITABLE (entry), "nobody by that name");
  args[1] = GUINT_TO_POINTER (0);
  derm_test_ui_await (has_n_items, args, "has n items");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "client-list-no-match"));

  /* Escape clears the search */
  g_signal_emit_by_name (entry, "stop-search");
  args[1] = GUINT_TO_POINTER (N_CLIENTS - N_ARCHIVED);
  derm_test_ui_await (has_n_items, args, "has n items");
}

static void
test_search_query (Fixture       *fixture,
                   gconstpointer  data)
{
  DermClientList *list = derm_window_get_client_list (fixture->window);
  GListModel *model = fixture_model (fixture);

  /* The model is filtered when the call returns */
  derm_client_list_set_query (list, "zoe mul");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (derm_client_get_name (model_client (model, 0)), ==, "Zoë Müller");

  /* Narrowing and widening again */
  derm_client_list_set_query (list, "zoe");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  derm_client_list_set_query (list, "ZOË MÜLLER");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  derm_client_list_set_query (list, "mul");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  /* Phone digits match however they are spaced */
  derm_client_list_set_query (list, "0612");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (derm_client_get_name (model_client (model, 0)), ==, "Zoë Müller");

  /* Archived clients stay hidden while searching, unless shown */
  derm_client_list_set_query (list, "becker");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  derm_client_list_set_show_archived (list, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  derm_client_list_set_show_archived (list, FALSE);

  derm_client_list_set_query (list, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CLIENTS - N_ARCHIVED);
}

static void
test_sort_by_last_visit (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  DermClientList *list = derm_window_get_client_list (fixture->window);
  GListModel *model = fixture_model (fixture);
  gboolean seen_unvisited = FALSE;
  guint n;

  activate (fixture, "win.sort", g_variant_new_string ("last-visit"));

  g_assert_cmpint (g_settings_get_enum (settings, "client-sort"), ==, 1);
  g_assert_cmpint (derm_client_list_get_sort (list), ==, DERM_CLIENT_SORT_LAST_VISIT);

  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, N_CLIENTS - N_ARCHIVED);
  g_assert_cmpstr (derm_client_get_name (model_client (model, 0)), ==, "Priya Sharma");
  g_assert_cmpstr (derm_client_get_last_visit (model_client (model, 0)), ==, "2025-09-09");

  for (guint i = 1; i < n; i++)
    {
      DermClient *prev = model_client (model, i - 1);
      DermClient *cur = model_client (model, i);
      const char *a = derm_client_get_last_visit (prev);
      const char *b = derm_client_get_last_visit (cur);

      if (b == NULL)
        {
          seen_unvisited = TRUE;
          if (a == NULL)
            g_assert_cmpint (g_utf8_collate (derm_client_get_name (prev),
                                             derm_client_get_name (cur)), <=, 0);
          continue;
        }

      /* Never a visited client after one never seen */
      g_assert_false (seen_unvisited);
      g_assert_nonnull (a);
      g_assert_cmpint (strcmp (a, b), >=, 0);
      /* Same day: by name */
      if (strcmp (a, b) == 0)
        g_assert_cmpint (g_utf8_collate (derm_client_get_name (prev),
                                         derm_client_get_name (cur)), <=, 0);
    }
  g_assert_true (seen_unvisited);

  activate (fixture, "win.sort", g_variant_new_string ("name"));
  g_assert_cmpint (derm_client_list_get_sort (list), ==, DERM_CLIENT_SORT_NAME);
  g_assert_cmpstr (derm_client_get_name (model_client (model, 0)), ==, "Amélie Laurent");
}

static void
test_new_client (Fixture       *fixture,
                 gconstpointer  data)
{
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  DermClient *client;

  activate (fixture, "win.new-client", NULL);
  derm_test_ui_await_mapped (GTK_WIDGET (page), TRUE);

  client = derm_client_page_get_client (page);
  g_assert_nonnull (client);
  g_assert_cmpint (derm_client_get_id (client), ==, 0);
  g_assert_null (derm_client_get_name (client));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_null (derm_client_list_get_selected (derm_window_get_client_list (fixture->window)));

  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "new-client"));
}

typedef struct
{
  DermClientPage *page;
  gint64          id;
} ShownWait;

static gboolean
page_shows (gpointer data)
{
  ShownWait *wait = data;

  return derm_client_get_id (derm_client_page_get_client (wait->page)) == wait->id &&
         !derm_client_page_get_loading (wait->page);
}

static gboolean
question_heading_starts (gpointer data)
{
  GtkWindow *question = derm_test_ui_find_question ();

  return question != NULL && gtk_widget_get_mapped (GTK_WIDGET (question)) &&
         g_str_has_prefix (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (question)), data);
}

/* Waits for the question whose heading starts with @heading */
static AdwMessageDialog *
await_question (const char *heading)
{
  derm_test_ui_await (question_heading_starts, (gpointer) heading, heading);
  return ADW_MESSAGE_DIALOG (derm_test_ui_find_question ());
}

static void
answer (AdwMessageDialog *question,
        const char       *response)
{
  adw_message_dialog_response (question, response);
  gtk_window_close (GTK_WINDOW (question));
}

static gboolean
no_question (gpointer data)
{
  return derm_test_ui_find_question () == NULL;
}

static gboolean
n_clients_is (gpointer data)
{
  DermClientList *list = derm_window_get_client_list (((Fixture *) ((gpointer *) data)[0])->window);

  return !derm_client_list_get_loading (list) &&
         derm_client_list_get_n_clients (list) == GPOINTER_TO_UINT (((gpointer *) data)[1]);
}

static void
await_n_clients (Fixture *fixture,
                 guint    n)
{
  gpointer args[2] = { fixture, GUINT_TO_POINTER (n) };

  derm_test_ui_await (n_clients_is, args, "the client list's count");
}

static void
type_new_client (Fixture    *fixture,
                 const char *name,
                 const char *phone)
{
  DermClientPage *page = derm_window_get_client_page (fixture->window);

  activate (fixture, "win.new-client", NULL);
  derm_test_ui_await_mapped (GTK_WIDGET (page), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (page), DERM_TYPE_CLIENT_PAGE,
                                                                      "name_row")), name);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (page), DERM_TYPE_CLIENT_PAGE,
                                                                      "phone_row")), phone);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "client.save", NULL));
}

/* Create with Zoë's phone number: "Possible duplicate of ...". Open shows
 * her and creates nothing; Create Anyway creates. Then Merge Clients…
 * from her page takes the new record in, after saying what moves. */
static void
test_duplicate_and_merge (Fixture       *fixture,
                          gconstpointer  data)
{
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  ShownWait zoe = { page, fixture->zoe_id };
  AdwMessageDialog *question;
  g_autoptr (DermClient) stored = NULL;
  g_autoptr (GError) error = NULL;
  gint64 twin_id;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1366, 768);
  type_new_client (fixture, "Zoe Mueller", "+33 6 12 34 56 78");
  question = await_question ("Possible Duplicate");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question),
                            "Possible duplicate of Zoë Müller (client"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "the same phone number"));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (question), "1366-duplicate-question"));
  answer (question, "open");
  derm_test_ui_await (page_shows, &zoe, "Zoë's page");
  g_assert_false (derm_client_page_has_unsaved_changes (page));
  await_n_clients (fixture, N_CLIENTS);

  type_new_client (fixture, "Zoe Mueller", "+33 6 12 34 56 78");
  answer (await_question ("Possible Duplicate"), "create");
  await_n_clients (fixture, N_CLIENTS + 1);
  twin_id = derm_client_get_id (derm_client_page_get_client (page));
  g_assert_cmpint (twin_id, >, 0);
  g_assert_cmpint (twin_id, !=, fixture->zoe_id);

  /* The new record gets a session of its own */
  {
    g_autoptr (DermTreatment) treatment = derm_treatment_new ();

    derm_treatment_set_client_id (treatment, twin_id);
    derm_treatment_set_date (treatment, "2025-10-01");
    derm_treatment_set_areas (treatment, "full face");
    derm_treatment_set_depth (treatment, "forehead", 0.5);
    g_assert_true (derm_store_add_treatment (fixture->store, treatment, &error));
    g_assert_no_error (error);
  }

  /* Merge Clients… from Zoë's page */
  activate (fixture, "win.show-client", g_variant_new_int64 (fixture->zoe_id));
  derm_test_ui_await (page_shows, &zoe, "Zoë's page");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "client.merge", NULL));
  question = await_question ("Merge Clients");
  g_assert_true (derm_client_merge_choose (twin_id));
  g_assert_false (derm_client_merge_choose (fixture->zoe_id));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (question), "1366-merge-choose"));
  answer (question, "next");
  question = await_question ("Merge Zoe Mueller Into Zoë Müller");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (question),
                                   "Moving to Zoë Müller: 1 session of Zoe Mueller"));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (question), "1366-merge-confirm"));
  answer (question, "merge");
  derm_test_ui_await (no_question, NULL, "the questions closed");
  await_n_clients (fixture, N_CLIENTS);

  stored = derm_store_get_client (fixture->store, twin_id, &error);
  g_assert_null (stored);
  g_assert_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  derm_test_ui_await (page_shows, &zoe, "Zoë's page after the merge");
  /* Her last visit is now the merged session's, the later one */
  stored = derm_store_get_client (fixture->store, fixture->zoe_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (derm_client_get_last_visit (stored), ==, "2025-10-01");
  derm_test_ui_await_frame (GTK_WIDGET (fixture->window));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "1366-merged"));
}

static void
test_client_saved_and_deleted (Fixture       *fixture,
                               gconstpointer  data)
{
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  DermClientList *list = derm_window_get_client_list (fixture->window);
  GListModel *model = fixture_model (fixture);
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  /* What the page does when the new-client form is saved */
  derm_client_set_name (client, "Aaliyah Adams");
  g_assert_true (derm_store_add_client (fixture->store, client, &error));
  g_assert_no_error (error);
  id = derm_client_get_id (client);
  g_signal_emit_by_name (page, "client-saved", client);

  g_assert_cmpuint (derm_client_list_get_n_clients (list), ==, N_CLIENTS + 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CLIENTS - N_ARCHIVED + 1);
  g_assert_cmpstr (derm_client_get_name (model_client (model, 0)), ==, "Aaliyah Adams");
  g_assert_nonnull (derm_client_list_get_selected (list));
  g_assert_cmpint (derm_client_get_id (derm_client_list_get_selected (list)), ==, id);

  /* A rename replaces the item and keeps it selected, in its new place */
  derm_client_set_name (client, "Zara Young");
  g_assert_true (derm_store_update_client (fixture->store, client, &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (page, "client-saved", client);
  g_assert_cmpuint (derm_client_list_get_n_clients (list), ==, N_CLIENTS + 1);
  g_assert_cmpstr (derm_client_get_name (model_client (model, 0)), ==, "Amélie Laurent");
  g_assert_cmpstr (derm_client_get_name (derm_client_list_get_selected (list)), ==, "Zara Young");

  /* The list holds a copy: later edits on the page do not show there */
  derm_client_set_name (client, "Unsaved Edit");
  g_assert_cmpstr (derm_client_get_name (derm_client_list_get_selected (list)), ==, "Zara Young");

  g_assert_true (derm_store_delete_client (fixture->store, id, &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (page, "client-deleted", id);
  g_assert_cmpuint (derm_client_list_get_n_clients (list), ==, N_CLIENTS);
  g_assert_null (derm_client_list_get_selected (list));
  derm_test_ui_await_mapped (GTK_WIDGET (page), FALSE);
}

static void
test_list_activation_opens_page (Fixture       *fixture,
                                 gconstpointer  data)
{
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  DermClientList *list = derm_window_get_client_list (fixture->window);
  DermClient *client = model_client (fixture_model (fixture), 3);

  g_signal_emit_by_name (list, "client-activated", client);
  derm_test_ui_await_mapped (GTK_WIDGET (page), TRUE);
  g_assert_cmpint (derm_client_get_id (derm_client_page_get_client (page)), ==,
                   derm_client_get_id (client));
  /* The page edits its own copy */
  g_assert_true (derm_client_page_get_client (page) != client);
}

/* A mapped label under @widget showing exactly @text */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;

  return FALSE;
}

static gboolean
toast_shown (gpointer data)
{
  gpointer *args = data;

  return shows_label (args[0], args[1]);
}

static void
test_toast_action (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *message = "Saved “Zoë & Co <test>”";
  gpointer args[] = { fixture->window, (gpointer) message };

  /* The page reports through this action; a name with markup characters
   * is shown as it is, not taken for markup */
  activate (fixture, "win.show-toast", g_variant_new_string (message));
  derm_test_ui_await (toast_shown, args, "the toast to show the message as written");
}

/* Three clients called Zoë Müller are told apart in the list by their
 * date of birth, written like every date for people */
static void
test_row_shows_birth (void)
{
  g_autoptr (DermClient) client = derm_client_new ();
  g_autofree char *born = derm_date_format_display ("1990-06-01", FALSE);
  g_autofree char *expected = g_strdup_printf ("Born %s", born);
  g_autofree char *subtitle = NULL;
  g_autofree char *without = NULL;

  derm_client_set_name (client, "Zoë Müller");
  derm_client_set_phone (client, "+41 79 123 45 67");
  without = derm_client_row_format_subtitle (client);
  g_assert_null (strstr (without, "Born"));
  derm_client_set_date_of_birth (client, "1990-06-01");
  subtitle = derm_client_row_format_subtitle (client);
  /* A date or a phone number never breaks: no-break spaces inside */
  g_assert_nonnull (strstr (subtitle, "+41\u00a079\u00a0123\u00a045\u00a067"));
  {
    g_autoptr (GString) plain = g_string_new (subtitle);

    g_string_replace (plain, "\u00a0", " ", 0);
    g_assert_true (g_str_has_prefix (plain->str, expected));
    g_assert_nonnull (strstr (plain->str, "+41 79 123 45 67"));
  }
}

static gboolean
window_is_folded (gpointer data)
{
  return derm_client_page_get_folded (data);
}

static void
test_narrow_folds (Fixture       *fixture,
                   gconstpointer  data)
{
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  GtkWidget *entry = derm_window_get_search_entry (fixture->window);

  derm_test_ui_await (window_is_folded, page, "the window to fold");

  /* Folded, the list comes first */
  derm_test_ui_await_mapped (GTK_WIDGET (page), FALSE);
  g_assert_true (gtk_widget_get_mapped (entry));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "client-list-narrow"));

  /* Opening a client shows the page alone, with a way back */
  activate (fixture, "win.new-client", NULL);
  derm_test_ui_await_mapped (GTK_WIDGET (page), TRUE);
  derm_test_ui_await_mapped (entry, FALSE);

  activate (fixture, "win.show-list", NULL);
  derm_test_ui_await_mapped (entry, TRUE);
}

static void
test_empty_store (Fixture       *fixture,
                  gconstpointer  data)
{
  DermClientList *list = derm_window_get_client_list (fixture->window);

  g_assert_false (derm_client_list_get_loading (list));
  g_assert_cmpuint (derm_client_list_get_n_clients (list), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (fixture_model (fixture)), ==, 0);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "client-list-empty"));
}

static gboolean
size_saved (gpointer data)
{
  return g_settings_get_int (data, "window-width") == 1100;
}

static void
test_window_size_saved (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  int width;
  int height;

  /* Restored from the settings */
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 760);

  /* Saved on close, whatever was stored meanwhile */
  g_settings_set_int (settings, "window-width", 500);
  g_settings_set_int (settings, "window-height", 500);
  g_settings_set_boolean (settings, "window-maximized", TRUE);

  activate (fixture, "window.close", NULL);
  derm_test_ui_await (size_saved, settings, "the window size to be saved");

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1100);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 760);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static void
test_menu_actions_open_windows (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkShortcutsWindow *overlay;
  GtkWindow *window;

  /* The help overlay comes from resources/gtk/help-overlay.ui */
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window));
  g_assert_nonnull (overlay);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  derm_test_ui_await_mapped (GTK_WIDGET (overlay), TRUE);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (overlay), "shortcuts"));
  gtk_window_close (GTK_WINDOW (overlay));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  window = derm_test_ui_await_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (window)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (window)), ==, GTK_LICENSE_GPL_3_0);
  gtk_window_destroy (window);

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  window = derm_test_ui_await_toplevel (DERM_TYPE_PREFERENCES_WINDOW);
  g_assert_true (gtk_window_get_transient_for (window) == GTK_WINDOW (fixture->window));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (window);
  derm_test_ui_await_finalized ((gpointer *) &window);
}

static void
test_accels (void)
{
  static const struct {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.quit", "<Control>q" },
    { "app.preferences", "<Control>comma" },
    { "app.shortcuts", "<Control>question" },
    { "win.new-client", "<Control>n" },
    { "win.search", "<Control>f" },
    { "window.close", "<Control>w" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    expected[i].action);

      g_assert_nonnull (accels);
      g_assert_cmpstr (accels[0], ==, expected[i].accel);
    }

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "shortcuts"));
}

static gboolean
app_has_window (gpointer data)
{
  return gtk_application_get_windows (data) != NULL;
}

static gboolean
app_has_main_window (gpointer data)
{
  GList *windows = gtk_application_get_windows (data);

  return windows != NULL && DERM_IS_WINDOW (windows->data);
}

static gboolean
app_has_no_window (gpointer data)
{
  return gtk_application_get_windows (data) == NULL;
}

static void
destroy_windows (GtkApplication *application)
{
  g_autoptr (GList) windows = g_list_copy (gtk_application_get_windows (application));

  for (GList *l = windows; l; l = l->next)
    gtk_window_destroy (l->data);
  derm_test_ui_await (app_has_no_window, application, "the application's windows to close");
}

static void
test_app_opens_store (void)
{
  g_autoptr (DermApplication) other = derm_application_new ();
  g_autofree char *dir = derm_test_make_data_dir ();
  g_autoptr (GError) error = NULL;
  GtkWindow *window;

  g_application_set_flags (G_APPLICATION (other), G_APPLICATION_NON_UNIQUE);
  derm_application_set_data_dir (other, dir);
  g_assert_true (g_application_register (G_APPLICATION (other), NULL, &error));
  g_assert_no_error (error);

  g_application_activate (G_APPLICATION (other));
  derm_test_ui_await (app_has_window, other, "app has window");

  /* A folder that is not the default one and holds no records: Dermis
   * asks before creating a database there, and creates nothing until
   * the answer is yes */
  window = gtk_application_get_windows (GTK_APPLICATION (other))->data;
  g_assert_true (ADW_IS_MESSAGE_DIALOG (window));
  g_assert_false (derm_store_database_exists (dir));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (window), "create");
  /* Closed after the answer, as Escape would: libadwaita reports "quit"
   * too, which must not release the application a second time */
  gtk_window_close (window);
  derm_test_ui_await (app_has_main_window, other, "app has main window");

  window = gtk_application_get_windows (GTK_APPLICATION (other))->data;
  g_assert_true (DERM_IS_WINDOW (window));
  g_assert_nonnull (derm_application_get_store (other));
  g_assert_cmpstr (derm_store_get_data_dir (derm_application_get_store (other)), ==, dir);

  destroy_windows (GTK_APPLICATION (other));
  derm_test_remove_dir (dir);
}

static void
count_response (AdwMessageDialog *dialog,
                const char       *response,
                GPtrArray        *responses)
{
  g_ptr_array_add (responses, g_strdup (response));
}

/* libadwaita reports the close response when a dialog is closed after
 * adw_message_dialog_response(): every Dermis message dialog answers once */
static void
test_message_dialog_answers_once (void)
{
  g_autoptr (GPtrArray) responses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) deletes = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *dialog = derm_message_dialog_new (NULL, "Delete?", NULL);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", "_Cancel", "delete", "_Delete", NULL);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (count_response), responses);
  g_signal_connect (dialog, "response::delete", G_CALLBACK (count_response), deletes);
  gtk_window_present (GTK_WINDOW (dialog));
  derm_test_ui_await_frame (dialog);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_close (GTK_WINDOW (dialog));
  derm_test_ui_await_idle ();
  g_assert_cmpuint (responses->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (responses, 0), ==, "delete");
  g_assert_cmpuint (deletes->len, ==, 1);
}

static void
test_app_refuses_foreign_file (void)
{
  static const char contents[] = "Appointments\n2025-03-12 Zoë\n";
  g_autoptr (DermApplication) other = derm_application_new ();
  g_autofree char *dir = derm_test_make_data_dir ();
  g_autofree char *path = g_build_filename (dir, "dermis.db", NULL);
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;
  GtkWindow *window;
  gsize len;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);

  g_application_set_flags (G_APPLICATION (other), G_APPLICATION_NON_UNIQUE);
  derm_application_set_data_dir (other, dir);
  g_assert_true (g_application_register (G_APPLICATION (other), NULL, &error));
  g_assert_no_error (error);

  g_test_expect_message ("derm-application", G_LOG_LEVEL_WARNING, "Could not open the store*");
  g_application_activate (G_APPLICATION (other));
  derm_test_ui_await (app_has_window, other, "app has window");
  g_test_assert_expected_messages ();

  window = gtk_application_get_windows (GTK_APPLICATION (other))->data;
  g_assert_false (DERM_IS_WINDOW (window));
  g_assert_null (derm_application_get_store (other));
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (window), "store-error"));

  /* Never overwritten */
  g_assert_true (g_file_get_contents (path, &after, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (after, ==, contents);

  destroy_windows (GTK_APPLICATION (other));
  derm_test_remove_dir (dir);
}

static gboolean
prefs_saved (gpointer prefs)
{
  return !derm_preferences_window_get_saving (DERM_PREFERENCES_WINDOW (prefs));
}

static void
test_preferences_practitioners (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *dir = derm_test_make_data_dir ();
  g_autoptr (DermStore) store = NULL;
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GError) error = NULL;
  const char * const *names;
  GtkWidget *prefs;
  GListModel *model;

  g_settings_set_string (settings, "clinic-name", "Clinique Lumière");
  store = derm_store_open (dir, &error);
  g_assert_no_error (error);

  prefs = derm_preferences_window_new (store);
  derm_test_ui_await_unset (prefs, "loading");
  model = derm_preferences_window_get_practitioners (DERM_PREFERENCES_WINDOW (prefs));
  gtk_window_present (GTK_WINDOW (prefs));

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (derm_preferences_window_add_practitioner (DERM_PREFERENCES_WINDOW (prefs), "  Dr Ana Silva "));
  g_assert_true (derm_preferences_window_add_practitioner (DERM_PREFERENCES_WINDOW (prefs), "Inès Moreau"));
  /* Empty and duplicate names are refused */
  g_assert_false (derm_preferences_window_add_practitioner (DERM_PREFERENCES_WINDOW (prefs), "   "));
  g_assert_false (derm_preferences_window_add_practitioner (DERM_PREFERENCES_WINDOW (prefs), "Inès Moreau"));
  /* Saved on the store's worker */
  derm_test_ui_await (prefs_saved, prefs, "practitioners saved");

  /* Kept with the clinic's calendar in the database, where the planner
   * and the treatment dialog read them */
  clinic = derm_store_load_clinic (store, &error);
  g_assert_no_error (error);
  names = derm_clinic_get_practitioners (clinic);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 2);
  g_assert_cmpstr (names[0], ==, "Dr Ana Silva");
  g_assert_cmpstr (names[1], ==, "Inès Moreau");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  g_assert_true (derm_test_ui_screenshot (prefs, "preferences"));

  /* The Remove button's action, on the practitioners group */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gtk_widget_get_template_child (prefs, DERM_TYPE_PREFERENCES_WINDOW,
                                                                                       "practitioners_group")),
                                             "practitioners.remove", "s", "Dr Ana Silva"));
  derm_test_ui_await (prefs_saved, prefs, "practitioner removal saved");
  g_clear_object (&clinic);
  clinic = derm_store_load_clinic (store, &error);
  g_assert_no_error (error);
  names = derm_clinic_get_practitioners (clinic);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Inès Moreau");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "clinic-name");
  derm_test_ui_await_finalized ((gpointer *) &prefs);
  g_clear_object (&store);
  derm_test_remove_dir (dir);
}

/* The whole window as a practitioner sees it before a treatment: the
 * list, and a client whose screening contraindicates treatment. Also the
 * picture the README and the AppStream metadata show. */
static void
test_open_client_with_findings (Fixture       *fixture,
                                gconstpointer  data)
{
  DermClientPage *page = derm_window_get_client_page (fixture->window);
  DermClientList *list = derm_window_get_client_list (fixture->window);
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (DermClient) zoe = NULL;
  GListModel *findings;
  gboolean contraindicated = FALSE;
  g_autoptr (GError) error = NULL;
  GDate date;
  g_autofree char *today = NULL;
  g_autofree char *last_dose = NULL;

  derm_date_today (&date);
  today = derm_date_format (&date);
  g_date_subtract_months (&date, 2);
  last_dose = derm_date_format (&date);

  derm_screening_set_client_id (screening, fixture->zoe_id);
  derm_screening_set_date (screening, today);
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    derm_screening_set_answer (screening, q, DERM_ANSWER_NO);
  derm_screening_set_answer (screening, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES);
  derm_screening_set_date_for (screening, DERM_QUESTION_ISOTRETINOIN, last_dose);
  derm_screening_set_details (screening, DERM_QUESTION_ISOTRETINOIN, "Roaccutane 20 mg");
  derm_screening_set_answer (screening, DERM_QUESTION_CONSENT, DERM_ANSWER_YES);
  derm_screening_set_date_for (screening, DERM_QUESTION_CONSENT, today);
  g_assert_true (derm_store_add_screening (fixture->store, screening, &error));
  g_assert_no_error (error);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 860);
  zoe = derm_store_get_client (fixture->store, fixture->zoe_id, &error);
  g_assert_no_error (error);
  g_assert_true (derm_client_list_select_client (list, fixture->zoe_id));
  g_signal_emit_by_name (list, "client-activated", zoe);
  derm_test_ui_await_mapped (GTK_WIDGET (page), TRUE);
  derm_test_ui_await_unset (page, "loading");
  findings = derm_client_page_get_findings (page);
  g_assert_nonnull (findings);
  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr (DermFinding) finding = g_list_model_get_item (findings, i);
      if (derm_finding_get_severity (finding) == DERM_SEVERITY_CONTRAINDICATION)
        contraindicated = TRUE;
    }
  g_assert_true (contraindicated);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (fixture->window), "main-window"));
}

#define ADD_WINDOW_TEST(path, func) \
  g_test_add (path, Fixture, &setup_default, fixture_set_up, func, fixture_tear_down)

static gboolean
backup_finished (gpointer data)
{
  return !derm_backup_page_get_running (data);
}

/* Preferences -> Backup: no folder means a warning; Back Up Now writes a
 * complete backup and the page says when; a week-old backup warns */
static gboolean
backup_folder_read (gpointer data)
{
  return !derm_backup_page_get_checking (data);
}

static void
test_preferences_backup (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *dir = derm_test_make_data_dir ();
  g_autofree char *dest = derm_test_make_data_dir ();
  g_autoptr (DermStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GtkWidget) page = NULL;

  g_settings_set_string (settings, "backup-folder", "");
  store = derm_store_open (dir, &error);
  g_assert_no_error (error);

  page = g_object_ref_sink (derm_backup_page_new (store, settings));
  g_assert_false (derm_backup_page_get_checking (DERM_BACKUP_PAGE (page)));
  g_assert_true (derm_backup_page_get_overdue (DERM_BACKUP_PAGE (page)));
  g_assert_true (g_str_has_prefix (derm_backup_page_get_status (DERM_BACKUP_PAGE (page)), "Last backup: never"));

  g_settings_set_string (settings, "backup-folder", dest);
  g_assert_true (gtk_widget_activate_action (page, "backup.now", NULL));
  derm_test_ui_await (backup_finished, page, "the backup to finish");
  derm_test_ui_await (backup_folder_read, page, "the folder read for its newest backup");
  g_assert_false (derm_backup_page_get_overdue (DERM_BACKUP_PAGE (page)));
  g_assert_true (g_str_has_prefix (derm_backup_page_get_status (DERM_BACKUP_PAGE (page)), "Last backup: "));
  g_assert_null (strstr (derm_backup_page_get_status (DERM_BACKUP_PAGE (page)), "7 days"));
  g_assert_true (derm_backup_verify (dest, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The same backup, eight days old: the page warns */
  names = derm_backup_list_snapshots (dest);
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr (GDateTime) then = g_date_time_add_days (now, -8);
    g_autofree char *old_name = g_date_time_format (then, "%Y%m%dT%H%M%SZ");
    g_autofree char *from = g_build_filename (dest, "snapshots", g_ptr_array_index (names, 0), NULL);
    g_autofree char *to = g_build_filename (dest, "snapshots", old_name, NULL);

    g_assert_cmpint (g_rename (from, to), ==, 0);
  }
  g_settings_set_string (settings, "backup-folder", "");
  g_settings_set_string (settings, "backup-folder", dest);
  /* The folder is read off the main thread: the page says so meanwhile */
  g_assert_true (derm_backup_page_get_checking (DERM_BACKUP_PAGE (page)));
  g_assert_nonnull (strstr (derm_backup_page_get_status (DERM_BACKUP_PAGE (page)), "Looking for backups"));
  derm_test_ui_await (backup_folder_read, page, "the folder read for its newest backup");
  g_assert_true (derm_backup_page_get_overdue (DERM_BACKUP_PAGE (page)));
  g_assert_nonnull (strstr (derm_backup_page_get_status (DERM_BACKUP_PAGE (page)), "more than 7 days ago"));

  g_settings_set_string (settings, "backup-folder", "");
  g_clear_object (&page);
  g_clear_object (&store);
  derm_test_remove_dir (dir);
  derm_test_remove_dir (dest);
}

typedef struct
{
  Fixture *fixture;
  gint64   id;
} DntWait;

static const char *
listed_do_not_treat (Fixture *fixture,
                     gint64   id)
{
  GListModel *model = fixture_model (fixture);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (derm_client_get_id (model_client (model, i)) == id)
      return derm_client_get_do_not_treat (model_client (model, i));
  g_assert_not_reached ();
}

static gboolean
badge_gone (gpointer data)
{
  DntWait *wait = data;

  return listed_do_not_treat (wait->fixture, wait->id) == NULL;
}

/* A window left open past midnight: the isotretinoin window ends with the
 * day, and the list drops the Do Not Treat badge by itself (the store's
 * clock stands in for the night) */
static void
test_do_not_treat_ends_at_midnight (Fixture       *fixture,
                                    gconstpointer  data)
{
  DermClientList *list = derm_window_get_client_list (fixture->window);
  g_autoptr (DermClient) client = derm_client_new ();
  g_autoptr (DermScreening) screening = derm_screening_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) last_evening = NULL;
  g_autoptr (GDateTime) new_day = NULL;
  g_autofree char *dose = NULL;
  GDate date, until;
  DntWait wait = { fixture, 0 };

  derm_client_set_name (client, "Isa Moreau");
  g_assert_true (derm_store_add_client (fixture->store, client, &error));
  g_assert_no_error (error);
  wait.id = derm_client_get_id (client);

  derm_date_today (&date);
  g_date_subtract_days (&date, 200);
  dose = derm_date_format (&date);
  derm_screening_set_client_id (screening, wait.id);
  derm_screening_set_date (screening, dose);
  derm_screening_set_answer (screening, DERM_QUESTION_ISOTRETINOIN, DERM_ANSWER_YES);
  derm_screening_set_date_for (screening, DERM_QUESTION_ISOTRETINOIN, dose);
  g_assert_true (derm_store_add_screening (fixture->store, screening, &error));
  g_assert_no_error (error);

  /* The last evening of the six months after the last dose */
  until = date;
  g_date_add_months (&until, 6);
  g_date_subtract_days (&until, 1);
  last_evening = g_date_time_new_utc (g_date_get_year (&until), g_date_get_month (&until),
                                      g_date_get_day (&until), 23, 59, 59);
  new_day = g_date_time_add_seconds (last_evening, 2);
  derm_store_set_clock (fixture->store, last_evening);
  derm_client_list_reload (list);
  derm_test_ui_await (list_loaded, list, "list loaded");
  g_assert_nonnull (listed_do_not_treat (fixture, wait.id));

  /* Midnight passes with nothing else happening */
  derm_store_set_clock (fixture->store, new_day);
  derm_test_ui_await (badge_gone, &wait, "the badge gone after midnight");
  derm_store_set_clock (fixture->store, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int ret;

  derm_test_ui_init (&argc, &argv);

  /* The real data dir is never touched: each test makes its own */
  app = derm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  ADD_WINDOW_TEST ("/ui/window/list/loads-active-clients", test_list_loads_active_clients);
  ADD_WINDOW_TEST ("/ui/window/list/show-archived-toggles-archived", test_show_archived);
  ADD_WINDOW_TEST ("/ui/window/list/sort-by-last-visit-newest-first", test_sort_by_last_visit);
  ADD_WINDOW_TEST ("/ui/window/list/activation-opens-page", test_list_activation_opens_page);
  ADD_WINDOW_TEST ("/ui/window/open-client-shows-contraindication", test_open_client_with_findings);
  ADD_WINDOW_TEST ("/ui/window/search/entry-finds-accented-name", test_search_entry);
  ADD_WINDOW_TEST ("/ui/window/search/query-filters-synchronously", test_search_query);
  ADD_WINDOW_TEST ("/ui/window/new-client-shows-empty-form", test_new_client);
  ADD_WINDOW_TEST ("/ui/window/duplicate-question-and-merge", test_duplicate_and_merge);
  ADD_WINDOW_TEST ("/ui/window/page-saved-and-deleted-update-list", test_client_saved_and_deleted);
  ADD_WINDOW_TEST ("/ui/window/show-toast-escapes-markup", test_toast_action);
  g_test_add_func ("/ui/window/client-row-shows-date-of-birth", test_row_shows_birth);
  g_test_add ("/ui/window/list/do-not-treat-ends-at-midnight", Fixture, &setup_default,
              fixture_set_up, test_do_not_treat_ends_at_midnight, fixture_tear_down);
  g_test_add ("/ui/window/narrow-window-folds", Fixture, &setup_narrow,
              fixture_set_up, test_narrow_folds, fixture_tear_down);
  ADD_WINDOW_TEST ("/ui/window/size-saved-on-close", test_window_size_saved);
  ADD_WINDOW_TEST ("/ui/window/menu-actions-open-windows", test_menu_actions_open_windows);
  g_test_add ("/ui/window/empty-store-invites-first-client", Fixture, &setup_empty,
              fixture_set_up, test_empty_store, fixture_tear_down);
  g_test_add_func ("/ui/app/accels-in-one-place", test_accels);
  g_test_add_func ("/ui/app/opens-store-and-shows-window", test_app_opens_store);
  g_test_add_func ("/ui/app/foreign-file-left-untouched", test_app_refuses_foreign_file);
  g_test_add_func ("/ui/app/message-dialog-answers-once", test_message_dialog_answers_once);
  g_test_add_func ("/ui/preferences/practitioners-add-remove", test_preferences_practitioners);
  g_test_add_func ("/ui/preferences/backup-now-and-overdue-warning", test_preferences_backup);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}
