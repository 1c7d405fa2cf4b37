/* test-ui-setup.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first-run assistant: shown over the window for a database whose
 * clinic is not set up, walked page by page (name, time zone and hours
 * and rooms, practitioners, protocols) saving as Preferences does, not
 * shown again once a practitioner is named, and skippable without a
 * trace. Screenshots go to $DERMIS_SCREENSHOT_DIR.
 */
#define G_LOG_DOMAIN "test-ui-setup"

#include "config.h"

#include <adwaita.h>

#include "derm-clinic-preferences-page.h"
#include "derm-clinic.h"
#include "derm-practitioners-group.h"
#include "derm-setup-assistant.h"
#include "derm-store-planner.h"
#include "derm-store.h"
#include "derm-window.h"

#include "test-ui-util.h"

typedef struct
{
  char       *data_dir;
  DermStore  *store;
  DermWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_reset (settings, "clinic-name");
  g_settings_reset (settings, "setup-skipped");
  fixture->data_dir = derm_test_make_data_dir ();
  fixture->store = derm_store_open (fixture->data_dir, &error);
  g_assert_no_error (error);
  fixture->window = g_object_ref_sink (derm_window_new (NULL, fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  derm_test_ui_await_frame (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  derm_test_ui_await_tooltips ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) fixture->window)
      gtk_window_destroy (l->data);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  derm_test_ui_await_idle ();

  g_clear_object (&fixture->store);
  derm_test_remove_dir (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
}

static gpointer
child (DermSetupAssistant *assistant,
       const char         *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (assistant), DERM_TYPE_SETUP_ASSISTANT, name);

  g_assert_nonnull (object);
  return object;
}

typedef struct
{
  DermSetupAssistant *assistant;
  guint               page;
} PageWait;

static gboolean
on_page (gpointer data)
{
  PageWait *wait = data;

  return derm_setup_assistant_get_page (wait->assistant) == wait->page;
}

static void
next_page (DermSetupAssistant *assistant,
           guint               page)
{
  PageWait wait = { assistant, page };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "setup.next", NULL));
  derm_test_ui_await (on_page, &wait, "the next page of the assistant");
  derm_test_ui_await_frame (GTK_WIDGET (assistant));
}

static gboolean
clinic_page_saved (gpointer data)
{
  return !derm_clinic_preferences_page_get_saving (data);
}

static gboolean
group_saved (gpointer data)
{
  return !derm_practitioners_group_get_saving (data);
}

static DermClinic *
stored_clinic (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  DermClinic *clinic = derm_store_load_clinic (fixture->store, &error);

  g_assert_no_error (error);
  return clinic;
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GPtrArray) clients = derm_store_list_clients_finish (DERM_STORE (source), result, NULL);

  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Until the calls queued on the store's worker before now have finished
 * and their callbacks have run (the worker runs them in order) */
static void
await_store (Fixture *fixture)
{
  gboolean done = FALSE;

  derm_store_list_clients_async (fixture->store, FALSE, NULL, on_listed, &done);
  derm_test_ui_await (flag_set, &done, "the store's worker");
  derm_test_ui_await_idle ();
}

static GtkWindow *
find_assistant (void)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (DERM_IS_SETUP_ASSISTANT (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
test_walk_through (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr (DermClinic) clinic = NULL;
  DermSetupAssistant *assistant;
  DermClinicPreferencesPage *clinic_page;
  DermPractitionersGroup *group;
  gpointer weak;

  derm_setup_assistant_present_if_needed (GTK_WINDOW (fixture->window), fixture->store);
  assistant = DERM_SETUP_ASSISTANT (derm_test_ui_await_toplevel (DERM_TYPE_SETUP_ASSISTANT));
  derm_test_ui_await_unset (assistant, "loading");
  derm_test_ui_await_frame (GTK_WIDGET (assistant));
  g_assert_cmpuint (derm_setup_assistant_get_page (assistant), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (child (assistant, "back_button")));

  /* The name is kept where Preferences keeps it */
  gtk_editable_set_text (GTK_EDITABLE (child (assistant, "clinic_name_row")), "Klinik Sonnenhof");
  {
    g_autofree char *name = g_settings_get_string (settings, "clinic-name");

    g_assert_cmpstr (name, ==, "Klinik Sonnenhof");
  }
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (assistant), "setup-welcome"));

  /* Time zone, hours and rooms: Preferences' own page */
  next_page (assistant, 1);
  clinic_page = child (assistant, "clinic_page");
  g_assert_false (derm_clinic_preferences_page_set_time_zone (clinic_page, "Mars/Olympus_Mons"));
  g_assert_true (derm_clinic_preferences_page_set_time_zone (clinic_page, "Europe/Berlin"));
  g_assert_true (derm_clinic_preferences_page_set_hours (clinic_page, G_DATE_MONDAY, "08:00-12:00, 13:00-18:00"));
  g_assert_true (derm_clinic_preferences_page_add_room (clinic_page, "Room 2"));
  derm_test_ui_await (clinic_page_saved, clinic_page, "the clinic saved");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (assistant), "setup-clinic"));
  clinic = stored_clinic (fixture);
  g_assert_cmpstr (derm_clinic_get_time_zone_id (clinic), ==, "Europe/Berlin");
  g_assert_true (derm_clinic_has_room (clinic, "Room 2"));
  g_clear_object (&clinic);

  next_page (assistant, 2);
  group = child (assistant, "practitioners_group");
  g_assert_false (derm_practitioners_group_add (group, "  "));
  g_assert_true (derm_practitioners_group_add (group, "Dr Ana Silva"));
  derm_test_ui_await (group_saved, group, "the practitioners saved");
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (assistant), "setup-practitioners"));
  clinic = stored_clinic (fixture);
  g_assert_cmpstr (derm_clinic_get_practitioners (clinic)[0], ==, "Dr Ana Silva");
  /* The room added on the page before is still there: one clinic, edited in place */
  g_assert_true (derm_clinic_has_room (clinic, "Room 2"));
  g_clear_object (&clinic);

  /* Back and forth */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "setup.back", NULL));
  {
    PageWait wait = { assistant, 1 };

    derm_test_ui_await (on_page, &wait, "the previous page");
  }
  next_page (assistant, 2);
  next_page (assistant, 3);
  g_assert_true (derm_test_ui_screenshot (GTK_WIDGET (assistant), "setup-protocols"));

  /* Done closes it */
  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "setup.next", NULL));
  derm_test_ui_await_finalized (&weak);

  /* Set up now: not shown again */
  derm_setup_assistant_present_if_needed (GTK_WINDOW (fixture->window), fixture->store);
  await_store (fixture);
  g_assert_null (find_assistant ());
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
skip_toast_shown (gpointer data)
{
  return shows_label (data, "No practitioner is named yet. Name them in Preferences, "
                            "or with Set Up Clinic… in the main menu.");
}

static void
test_skip (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr (DermClinic) clinic = NULL;
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  DermSetupAssistant *assistant;
  gpointer weak;

  derm_setup_assistant_present_if_needed (GTK_WINDOW (fixture->window), fixture->store);
  assistant = DERM_SETUP_ASSISTANT (derm_test_ui_await_toplevel (DERM_TYPE_SETUP_ASSISTANT));
  derm_test_ui_await_unset (assistant, "loading");

  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "setup.skip", NULL));
  derm_test_ui_await_finalized (&weak);

  clinic = stored_clinic (fixture);
  g_assert_null (derm_clinic_get_practitioners (clinic)[0]);
  g_clear_object (&clinic);

  /* Remembered: the window says where to set the clinic up later, and
   * the next start does not ask again */
  g_assert_true (g_settings_get_boolean (settings, "setup-skipped"));
  derm_test_ui_await (skip_toast_shown, fixture->window, "the toast saying where to name a practitioner");
  derm_setup_assistant_present_if_needed (GTK_WINDOW (fixture->window), fixture->store);
  await_store (fixture);
  g_assert_null (find_assistant ());

  /* Set Up Clinic… in the main menu opens it all the same */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->window), "setup-clinic"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "setup-clinic", NULL);
  assistant = DERM_SETUP_ASSISTANT (derm_test_ui_await_toplevel (DERM_TYPE_SETUP_ASSISTANT));
  derm_test_ui_await_unset (assistant, "loading");
  derm_test_ui_await_frame (GTK_WIDGET (assistant));
  next_page (assistant, 1);
  next_page (assistant, 2);
  g_assert_true (derm_practitioners_group_add (child (assistant, "practitioners_group"), "Dr Ana Silva"));
  derm_test_ui_await (group_saved, child (assistant, "practitioners_group"), "the practitioners saved");
  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "setup.skip", NULL));
  derm_test_ui_await_finalized (&weak);
  clinic = stored_clinic (fixture);
  g_assert_cmpstr (derm_clinic_get_practitioners (clinic)[0], ==, "Dr Ana Silva");
}

/* Never skipped, still not set up: it comes back at the next start */
static void
test_not_skipped_returns (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);

  g_assert_false (g_settings_get_boolean (settings, "setup-skipped"));
  derm_setup_assistant_present_if_needed (GTK_WINDOW (fixture->window), fixture->store);
  await_store (fixture);
  g_assert_nonnull (find_assistant ());
}

int
main (int   argc,
      char *argv[])
{
  derm_test_ui_init (&argc, &argv);

  g_test_add ("/ui/setup/walk-through-saves-and-is-not-shown-again", Fixture, NULL,
              fixture_set_up, test_walk_through, fixture_tear_down);
  g_test_add ("/ui/setup/skip-writes-nothing-is-remembered-and-says-where", Fixture, NULL,
              fixture_set_up, test_skip, fixture_tear_down);
  g_test_add ("/ui/setup/not-set-up-not-skipped-shown-again", Fixture, NULL,
              fixture_set_up, test_not_skipped_returns, fixture_tear_down);

  return g_test_run ();
}
