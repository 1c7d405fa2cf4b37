/* derm-book-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-book-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-planner.h"
#include "derm-store.h"
#include "derm-store-planner.h"
#include "derm-validate.h"

#include "derm-book-dialog.h"
#include "derm-date-row.h"
#include "derm-planner-ui.h"
#include "derm-unsaved.h"
#include "derm-toast.h"

struct _DermBookDialog
{
  AdwWindow         parent_instance;

  DermStore        *store;
  GPtrArray        *clients;       /* DermClient, as listed in client_row */
  DermClinic       *clinic;
  DermPlanner      *planner;
  GPtrArray        *findings;      /* of the client chosen; NULL while read */
  DermPlanProposal *proposal;
  GtkStringList    *room_names;
  GtkStringList    *practitioner_names;
  char             *room;          /* the lane clicked */
  char             *practitioner;

  /* Template children */
  AdwToastOverlay  *toast_overlay;
  AdwComboRow      *client_row;
  AdwComboRow      *kind_row;
  AdwEntryRow      *date_row;
  AdwEntryRow      *time_row;
  GtkSpinButton    *duration_spin;
  AdwComboRow      *room_row;
  AdwComboRow      *practitioner_row;
  AdwEntryRow      *note_row;
  GtkLabel         *status_label;
  GtkSpinner       *spinner;

  /* A read or write on the store's worker */
  GCancellable     *busy;
  /* Reading the chosen client's findings */
  GCancellable     *findings_read;

  guint             loading : 1;
  guint             edited : 1;
  guint             close_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (DermBookDialog, derm_book_dialog, ADW_TYPE_WINDOW)

enum {
  BOOKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_status (DermBookDialog *self,
            const char     *message)
{
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL && *message != '\0');
}

static DermClient *
chosen_client (DermBookDialog *self)
{
  guint position = adw_combo_row_get_selected (self->client_row);

  if (self->clients == NULL || position == 0 || position == GTK_INVALID_LIST_POSITION ||
      position > self->clients->len)
    return NULL;
  return g_ptr_array_index (self->clients, position - 1);
}

static void
set_book_enabled (DermBookDialog *self,
                  gboolean        enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "book.book", enabled && self->busy == NULL);
}

/* The appointment as the form has it, judged by the booking rules */
static void
recheck (DermBookDialog *self)
{
  g_autoptr (DermAppointment) item = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *local = NULL;
  g_autofree char *note = NULL;
  DermClient *client = chosen_client (self);
  int minutes;
  GDate parsed;

  g_clear_object (&self->proposal);
  set_book_enabled (self, FALSE);

  if (self->planner == NULL)
    return;
  if (client == NULL)
    {
      set_status (self, _("Choose the client the appointment is for"));
      return;
    }

  date = derm_date_row_read_text (gtk_editable_get_text (GTK_EDITABLE (self->date_row)));
  time_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->time_row))));
  minutes = derm_planner_ui_parse_time (time_text);
  if (date == NULL || !derm_date_parse (date, &parsed) || minutes < 0)
    {
      set_status (self, _("Type the date as YYYY-MM-DD and the time as HH:MM"));
      return;
    }
  if (self->findings == NULL)
    {
      set_status (self, _("Reading the client’s screening…"));
      return;
    }

  local = g_strdup_printf ("%sT%02d:%02d", date, minutes / 60, minutes % 60);
  note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));
  item = derm_appointment_new ();
  derm_appointment_set_client_id (item, derm_client_get_id (client));
  derm_appointment_set_client_name (item, derm_client_get_name (client));
  /* A consultation has no needling: no contraindication holds it back */
  derm_appointment_set_kind (item, adw_combo_row_get_selected (self->kind_row) == 1 ? DERM_APPOINTMENT_CONSULTATION
                                                                                     : DERM_APPOINTMENT_SESSION);
  derm_appointment_set_status (item, DERM_APPOINTMENT_BOOKED);
  derm_appointment_set_duration_minutes (item, (guint) gtk_spin_button_get_value_as_int (self->duration_spin));
  derm_appointment_set_room (item, derm_planner_ui_chosen_name (self->room_names, adw_combo_row_get_selected (self->room_row)));
  derm_appointment_set_practitioner (item, derm_planner_ui_chosen_name (self->practitioner_names,
                                                        adw_combo_row_get_selected (self->practitioner_row)));
  derm_appointment_set_note (item, *note != '\0' ? note : NULL);
  if (!derm_appointment_set_start (item, local, derm_clinic_get_time_zone_id (self->clinic)))
    {
      set_status (self, _("Type the date as YYYY-MM-DD and the time as HH:MM"));
      return;
    }

  /* The same rules as every other booking, and its message */
  self->proposal = derm_planner_propose_single (self->planner, item, self->findings);
  if (derm_plan_proposal_is_bookable (self->proposal))
    {
      set_status (self, NULL);
      set_book_enabled (self, TRUE);
    }
  else if (derm_plan_proposal_get_blocked (self->proposal))
    set_status (self, derm_plan_proposal_get_blocked_reason (self->proposal));
  else
    set_status (self, derm_plan_proposal_get_message (self->proposal, 0));
}

static void
on_edited (DermBookDialog *self)
{
  if (self->loading)
    return;
  self->edited = TRUE;
  recheck (self);
}

/* The findings of the client chosen */

static gboolean
read_findings (DermStore  *store,
               gpointer    data,
               gpointer   *result,
               GError    **error)
{
  *result = derm_planner_ui_load_findings (store, *(gint64 *) data);
  return TRUE;
}

static void
on_findings_read (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (DermBookDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *findings = NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &findings, &error))
    {
      if (!derm_planner_ui_is_cancelled (error))
        set_status (self, error->message);
      return;
    }
  g_clear_object (&self->findings_read);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = findings;
  recheck (self);
}

static void
on_client_changed (DermBookDialog *self)
{
  DermClient *client;
  gint64 id;

  if (self->loading)
    return;
  self->edited = TRUE;

  g_clear_pointer (&self->findings, g_ptr_array_unref);
  if (self->findings_read != NULL)
    g_cancellable_cancel (self->findings_read);
  g_clear_object (&self->findings_read);

  client = chosen_client (self);
  if (client != NULL)
    {
      id = derm_client_get_id (client);
      self->findings_read = g_cancellable_new ();
      derm_store_run_async (self->store, read_findings, g_memdup2 (&id, sizeof id), g_free,
                            (GDestroyNotify) g_ptr_array_unref, self->findings_read, on_findings_read,
                            g_object_ref (self));
    }
  recheck (self);
}

/* Reading the clients, the clinic and the calendar */

static void
set_busy (DermBookDialog *self,
          gboolean        busy)
{
  derm_planner_ui_dialog_set_busy (GTK_WIDGET (self), &self->busy, busy, GTK_WIDGET (self->spinner),
                                   "book.book", NULL);
}

typedef struct
{
  GPtrArray   *clients;
  DermClinic  *clinic;
  DermPlanner *planner;
} BookRead;

static void
book_read_free (gpointer data)
{
  BookRead *read = data;

  g_clear_pointer (&read->clients, g_ptr_array_unref);
  g_clear_object (&read->clinic);
  g_clear_object (&read->planner);
  g_free (read);
}

static gboolean
read_context (DermStore  *store,
              gpointer    data,
              gpointer   *result,
              GError    **error)
{
  BookRead *read = g_new0 (BookRead, 1);

  if ((read->clients = derm_store_list_clients (store, FALSE, error)) == NULL ||
      (read->clinic = derm_store_load_clinic (store, error)) == NULL ||
      (read->planner = derm_store_load_planner (store, NULL, error)) == NULL)
    {
      book_read_free (read);
      return FALSE;
    }
  *result = read;
  return TRUE;
}

static void
on_context_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (DermBookDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  BookRead *read = NULL;
  gboolean first = self->planner == NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &read, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      set_busy (self, FALSE);
      set_status (self, error->message);
      derm_planner_ui_dialog_read_failed (self->toast_overlay, error, "book.reload");
      return;
    }

  set_busy (self, FALSE);
  g_set_object (&self->planner, read->planner);
  if (!first)
    {
      /* Read again after losing a race: the form stays as typed */
      book_read_free (read);
      recheck (self);
      return;
    }

  self->loading = TRUE;
  self->clients = g_ptr_array_ref (read->clients);
  g_set_object (&self->clinic, read->clinic);
  book_read_free (read);

  gtk_string_list_append (names, _("Choose a client"));
  for (guint i = 0; i < self->clients->len; i++)
    gtk_string_list_append (names, derm_client_get_name (g_ptr_array_index (self->clients, i)));
  adw_combo_row_set_model (self->client_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->client_row, 0);

  if (derm_clinic_get_rooms (self->clinic)[0] != NULL)
    {
      self->room_names = derm_planner_ui_names_list (derm_clinic_get_rooms (self->clinic), _("No room"));
      adw_combo_row_set_model (self->room_row, G_LIST_MODEL (self->room_names));
      adw_combo_row_set_selected (self->room_row, derm_planner_ui_name_position (self->room_names, self->room));
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->room_row), FALSE);
  self->practitioner_names = derm_planner_ui_names_list (derm_clinic_get_practitioners (self->clinic), _("Anyone"));
  adw_combo_row_set_model (self->practitioner_row, G_LIST_MODEL (self->practitioner_names));
  adw_combo_row_set_selected (self->practitioner_row, derm_planner_ui_name_position (self->practitioner_names, self->practitioner));
  gtk_spin_button_set_value (self->duration_spin, MAX (derm_clinic_get_slot_step (self->clinic), 30u));
  self->loading = FALSE;

  recheck (self);
}

static void
read_from_store (DermBookDialog *self)
{
  set_busy (self, TRUE);
  derm_store_run_async (self->store, read_context, NULL, NULL, book_read_free, self->busy,
                        on_context_read, g_object_ref (self));
}

/* The Retry of a failed read's toast */
static void
book_reload (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  DermBookDialog *self = DERM_BOOK_DIALOG (widget);

  if (self->busy == NULL)
    read_from_store (self);
}

/* Booking */

static gboolean
write_booking (DermStore  *store,
               gpointer    data,
               gpointer   *result,
               GError    **error)
{
  *result = NULL;
  return derm_store_book_proposal (store, data, error);
}

static void
on_booked (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (DermBookDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  gpointer nothing = NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, &nothing, &error))
    {
      if (derm_planner_ui_is_cancelled (error))
        return;
      set_busy (self, FALSE);
      derm_toast_show (GTK_WIDGET (self->toast_overlay), error->message);
      /* Someone took the slot meanwhile: judge against what is booked now */
      if (g_error_matches (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_CONFLICT))
        read_from_store (self);
      else
        recheck (self);
      return;
    }

  set_busy (self, FALSE);
  g_signal_emit (self, signals[BOOKED], 0, self->proposal);
  self->close_confirmed = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
book_book (GtkWidget  *widget,
           const char *action_name,
           GVariant   *param)
{
  DermBookDialog *self = DERM_BOOK_DIALOG (widget);

  if (self->busy != NULL)
    return;
  recheck (self);
  if (self->proposal == NULL || !derm_plan_proposal_is_bookable (self->proposal))
    return;

  set_busy (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->client_row), FALSE);
  derm_store_run_async (self->store, write_booking, g_object_ref (self->proposal), g_object_unref, NULL,
                        self->busy, on_booked, g_object_ref (self));
}

/* GObject */

static gboolean
derm_book_dialog_close_request (GtkWindow *window)
{
  DermBookDialog *self = DERM_BOOK_DIALOG (window);

  if (!self->close_confirmed && self->edited)
    return derm_unsaved_ask_close (window, _("Book the Appointment?"), _("Nothing is booked until you save."),
                                   TRUE, book_book, "book.book");

  return GTK_WINDOW_CLASS (derm_book_dialog_parent_class)->close_request (window);
}

static void
derm_book_dialog_dispose (GObject *object)
{
  DermBookDialog *self = DERM_BOOK_DIALOG (object);

  if (self->busy != NULL)
    g_cancellable_cancel (self->busy);
  g_clear_object (&self->busy);
  if (self->findings_read != NULL)
    g_cancellable_cancel (self->findings_read);
  g_clear_object (&self->findings_read);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_BOOK_DIALOG);

  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->room, g_free);
  g_clear_pointer (&self->practitioner, g_free);
  g_clear_object (&self->proposal);
  g_clear_object (&self->planner);
  g_clear_object (&self->clinic);
  g_clear_object (&self->room_names);
  g_clear_object (&self->practitioner_names);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_book_dialog_parent_class)->dispose (object);
}

static void
derm_book_dialog_class_init (DermBookDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_book_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = derm_book_dialog_close_request;

  /**
   * DermBookDialog::booked:
   * @proposal: what was booked, with the id set
   */
  signals[BOOKED] =
    g_signal_new ("booked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DERM_TYPE_PLAN_PROPOSAL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-book-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, client_row);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, room_row);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, DermBookDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_edited);
  gtk_widget_class_bind_template_callback (widget_class, on_client_changed);

  gtk_widget_class_install_action (widget_class, "book.book", NULL, book_book);
  gtk_widget_class_install_action (widget_class, "book.reload", NULL, book_reload);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
derm_book_dialog_init (DermBookDialog *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  derm_date_row_attach (self->date_row);
  self->loading = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "book.book", FALSE);
}

GtkWidget *
derm_book_dialog_new (DermStore  *store,
                      const char *date,
                      int         minute,
                      const char *room,
                      const char *practitioner)
{
  DermBookDialog *self;
  g_autofree char *time_text = NULL;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);
  g_return_val_if_fail (date != NULL, NULL);

  self = g_object_new (DERM_TYPE_BOOK_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->room = g_strdup (room);
  self->practitioner = g_strdup (practitioner);

  time_text = derm_planner_ui_format_minutes (minute);
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time_text);
  self->loading = FALSE;

  read_from_store (self);
  return GTK_WIDGET (self);
}

gboolean
derm_book_dialog_get_ready (DermBookDialog *self)
{
  g_return_val_if_fail (DERM_IS_BOOK_DIALOG (self), FALSE);

  return self->planner != NULL && self->busy == NULL &&
         (chosen_client (self) == NULL || self->findings != NULL);
}

gboolean
derm_book_dialog_set_client (DermBookDialog *self,
                             gint64          client_id)
{
  g_return_val_if_fail (DERM_IS_BOOK_DIALOG (self), FALSE);

  for (guint i = 0; self->clients != NULL && i < self->clients->len; i++)
    if (derm_client_get_id (g_ptr_array_index (self->clients, i)) == client_id)
      {
        adw_combo_row_set_selected (self->client_row, i + 1);
        return TRUE;
      }
  return FALSE;
}

void
derm_book_dialog_set_start (DermBookDialog *self,
                            const char     *date,
                            const char     *time)
{
  g_return_if_fail (DERM_IS_BOOK_DIALOG (self));

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  self->loading = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
}

DermPlanProposal *
derm_book_dialog_get_proposal (DermBookDialog *self)
{
  g_return_val_if_fail (DERM_IS_BOOK_DIALOG (self), NULL);

  return self->proposal;
}

const char *
derm_book_dialog_get_status_message (DermBookDialog *self)
{
  g_return_val_if_fail (DERM_IS_BOOK_DIALOG (self), NULL);

  return gtk_label_get_text (self->status_label);
}

void
derm_book_dialog_set_consultation (DermBookDialog *self,
                                   gboolean        consultation)
{
  g_return_if_fail (DERM_IS_BOOK_DIALOG (self));

  adw_combo_row_set_selected (self->kind_row, consultation ? 1 : 0);
}
