/* derm-client-merge.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-client-merge"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-store-merge.h"

#include "derm-client-merge.h"
#include "derm-message-dialog.h"

/* --- duplicates ---------------------------------------------------------- */

static gboolean
find_duplicates_work (DermStore  *store,
                      gpointer    data,
                      gpointer   *result,
                      GError    **error)
{
  GPtrArray *found = derm_store_find_duplicates (store, data, error);

  *result = found;
  return found != NULL;
}

void
derm_client_merge_find_duplicates_async (DermStore           *store,
                                         DermClient          *client,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (DERM_IS_CLIENT (client));

  derm_store_run_async (store, find_duplicates_work, derm_client_copy (client), g_object_unref,
                        (GDestroyNotify) g_ptr_array_unref, NULL, callback, user_data);
}

GPtrArray *
derm_client_merge_find_duplicates_finish (DermStore     *store,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  gpointer found = NULL;

  if (!derm_store_run_finish (store, result, &found, error))
    return NULL;
  return found;
}

GtkWidget *
derm_client_merge_duplicate_question (GtkWindow *parent,
                                      GPtrArray *duplicates)
{
  DermClient *first;
  g_autoptr (GString) body = g_string_new (NULL);
  GtkWidget *dialog;
  gint64 id;

  g_return_val_if_fail (duplicates != NULL && duplicates->len > 0, NULL);

  for (guint i = 0; i < duplicates->len; i++)
    {
      DermClient *other = g_ptr_array_index (duplicates, i);
      g_autofree char *line = derm_client_describe_duplicate (other,
                                                              GPOINTER_TO_INT (g_object_get_data (G_OBJECT (other),
                                                                               "derm-duplicate-reason")));

      if (body->len > 0)
        g_string_append_c (body, '\n');
      g_string_append (body, line);
      g_string_append_c (body, '.');
    }
  g_string_append (body, "\n\n");
  g_string_append (body, _("Open the existing client, or create a new one anyway."));

  first = g_ptr_array_index (duplicates, 0);
  id = derm_client_get_id (first);
  dialog = derm_message_dialog_new (parent, _("Possible Duplicate"), body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "open", _("_Open"),
                                    "create", _("Create _Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "client-id", g_memdup2 (&id, sizeof id), g_free);

  return dialog;
}

/* --- merging --------------------------------------------------------------- */

/* The dialog of the flow under way, for tests */
static GtkWidget *current_dialog;

typedef struct
{
  GtkWidget            *owner;      /* weak */
  DermStore            *store;
  DermClient           *into;
  DermClientMergedFunc  func;
  GArray               *ids;        /* gint64: the chooser's clients, in its order */
  GPtrArray            *names;      /* char *: their names */
  gint64                from_id;
  char                 *from_name;
  GtkDropDown          *chooser;
} MergeFlow;

static void
merge_flow_free (gpointer data)
{
  MergeFlow *flow = data;

  g_clear_weak_pointer (&flow->owner);
  g_clear_object (&flow->store);
  g_clear_object (&flow->into);
  g_clear_pointer (&flow->ids, g_array_unref);
  g_clear_pointer (&flow->names, g_ptr_array_unref);
  g_free (flow->from_name);
  g_free (flow);
}

static GtkWindow *
flow_parent (MergeFlow *flow)
{
  GtkRoot *root = flow->owner != NULL ? gtk_widget_get_root (flow->owner) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
flow_toast (MergeFlow  *flow,
            const char *message)
{
  if (flow->owner != NULL)
    gtk_widget_activate_action (flow->owner, "win.show-toast", "s", message);
}

static void
track_dialog (GtkWidget *dialog)
{
  g_set_weak_pointer (&current_dialog, dialog);
}

typedef struct
{
  gint64          from_id;
  gint64          into_id;
  gboolean        merge;    /* FALSE: only the preview */
  DermMergeReport report;
} MergeJob;

static void
merge_job_free (gpointer data)
{
  MergeJob *job = data;

  derm_merge_report_clear (&job->report);
  g_free (job);
}

static gboolean
merge_work (DermStore  *store,
            gpointer    data,
            gpointer   *result,
            GError    **error)
{
  MergeJob *job = data;
  MergeJob *out;
  gboolean ok;

  out = g_new0 (MergeJob, 1);
  out->from_id = job->from_id;
  out->into_id = job->into_id;
  out->merge = job->merge;
  ok = job->merge ? derm_store_merge_clients (store, job->from_id, job->into_id, &out->report, error)
                  : derm_store_preview_merge (store, job->from_id, job->into_id, &out->report, error);
  if (!ok)
    {
      merge_job_free (out);
      return FALSE;
    }
  *result = out;
  return TRUE;
}

static void
run_job (MergeFlow           *flow,
         gboolean             merge,
         GAsyncReadyCallback  callback)
{
  MergeJob *job = g_new0 (MergeJob, 1);

  job->from_id = flow->from_id;
  job->into_id = derm_client_get_id (flow->into);
  job->merge = merge;
  derm_store_run_async (flow->store, merge_work, job, merge_job_free, merge_job_free, NULL, callback, flow);
}

/* "2 booked appointments overlap: Mon 7 Dec 2026 10:00 and 10:30." */
static char *
describe_overlaps (const DermMergeReport *report)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (report->overlaps == NULL || report->overlaps->len == 0)
    return g_strdup ("");

  g_string_append_printf (text, ngettext ("%u pair of booked appointments overlaps:",
                                          "%u pairs of booked appointments overlap:",
                                          report->overlaps->len),
                          report->overlaps->len);
  for (guint i = 0; i < report->overlaps->len; i++)
    {
      const DermMergeOverlap *o = &g_array_index (report->overlaps, DermMergeOverlap, i);

      /* Translators: "2026-12-07T10:00 and 2026-12-07T10:30" */
      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("%s and %s"), o->from_start, o->into_start);
      g_string_append_c (text, i + 1 < report->overlaps->len ? ';' : '.');
    }
  g_string_append_c (text, ' ');
  g_string_append (text, _("Move or cancel one of each pair after merging."));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_merged (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MergeFlow *flow = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *overlaps = NULL;
  g_autofree char *message = NULL;
  MergeJob *job = NULL;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &job, &error))
    {
      flow_toast (flow, error->message);
      merge_flow_free (flow);
      return;
    }

  moved = derm_client_counts_describe (&job->report.moved);
  overlaps = describe_overlaps (&job->report);
  /* Translators: "Merged Zoe Mueller into Zoë Müller: 2 sessions and 3 photos moved." */
  message = g_strdup_printf (_("Merged %s into %s: %s moved. %s"), flow->from_name,
                             derm_client_get_name (flow->into), moved, overlaps);
  g_strstrip (message);
  if (flow->owner != NULL && flow->func != NULL)
    flow->func (flow->owner, job->from_id, job->into_id, message);
  flow_toast (flow, message);
  merge_job_free (job);
  merge_flow_free (flow);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  MergeFlow *flow = user_data;

  /* Answered once: closing the dialog afterwards answers again */
  g_signal_handlers_disconnect_by_func (dialog, on_confirm_response, user_data);
  if (!g_str_equal (response, "merge") || flow->owner == NULL)
    {
      merge_flow_free (flow);
      return;
    }
  run_job (flow, TRUE, on_merged);
}

static void
on_previewed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MergeFlow *flow = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) body = g_string_new (NULL);
  g_autofree char *heading = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *overlaps = NULL;
  const char *into_name = derm_client_get_name (flow->into);
  MergeJob *job = NULL;
  GtkWidget *dialog;

  if (!derm_store_run_finish (DERM_STORE (source), result, (gpointer *) &job, &error))
    {
      flow_toast (flow, error->message);
      merge_flow_free (flow);
      return;
    }
  if (flow->owner == NULL)
    {
      merge_job_free (job);
      merge_flow_free (flow);
      return;
    }

  moved = derm_client_counts_describe (&job->report.moved);
  overlaps = describe_overlaps (&job->report);
  heading = g_strdup_printf (_("Merge %s Into %s?"), flow->from_name, into_name);
  if (job->report.moved.screenings + job->report.moved.sessions + job->report.moved.photos +
      job->report.moved.series + job->report.moved.appointments + job->report.moved.regions == 0)
    g_string_append_printf (body, _("%s has no records to move."), flow->from_name);
  else
    /* Translators: "Moving to Zoë Müller: 2 sessions and 3 photos of Zoe Mueller, ..." */
    g_string_append_printf (body, _("Moving to %s: %s of %s, with the documents made from them."),
                            into_name, moved, flow->from_name);
  g_string_append_c (body, ' ');
  g_string_append_printf (body,
                          _("The record of %s is then removed; the details %s lacks are taken from it. A Do Not "
                            "Treat finding of either applies to the merged client. This cannot be undone."),
                          flow->from_name, into_name);
  if (*overlaps != '\0')
    g_string_append_printf (body, "\n\n%s", overlaps);
  merge_job_free (job);

  dialog = derm_message_dialog_new (flow_parent (flow), heading, body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "merge", _("_Merge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), flow);
  track_dialog (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_choose_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  MergeFlow *flow = user_data;
  guint position = gtk_drop_down_get_selected (flow->chooser);

  g_signal_handlers_disconnect_by_func (dialog, on_choose_response, user_data);
  g_object_set_data (G_OBJECT (flow->chooser), "derm-merge-flow", NULL);
  flow->chooser = NULL;
  if (!g_str_equal (response, "next") || flow->owner == NULL || position >= flow->ids->len)
    {
      merge_flow_free (flow);
      return;
    }

  flow->from_id = g_array_index (flow->ids, gint64, position);
  flow->from_name = g_strdup (g_ptr_array_index (flow->names, position));
  run_job (flow, FALSE, on_previewed);
}

static void
on_clients_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MergeFlow *flow = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) clients = derm_store_list_clients_finish (DERM_STORE (source), result, &error);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *body = NULL;
  const char *into_name = derm_client_get_name (flow->into);
  GtkWidget *dialog;
  GtkWidget *chooser;

  if (clients == NULL || flow->owner == NULL)
    {
      if (clients == NULL)
        flow_toast (flow, error->message);
      merge_flow_free (flow);
      return;
    }

  flow->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  flow->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < clients->len; i++)
    {
      DermClient *client = g_ptr_array_index (clients, i);
      gint64 id = derm_client_get_id (client);
      g_autofree char *label = NULL;

      if (id == derm_client_get_id (flow->into))
        continue;
      if (derm_client_get_date_of_birth (client) != NULL)
        /* Translators: "Zoë Müller (born 1990-06-01, client 12)" */
        label = g_strdup_printf (_("%s (born %s, client %lld)"), derm_client_get_name (client),
                                 derm_client_get_date_of_birth (client), (long long) id);
      else
        /* Translators: "Zoë Müller (client 12)" */
        label = g_strdup_printf (_("%s (client %lld)"), derm_client_get_name (client), (long long) id);
      gtk_string_list_append (labels, label);
      g_array_append_val (flow->ids, id);
      g_ptr_array_add (flow->names, g_strdup (derm_client_get_name (client)));
    }

  if (flow->ids->len == 0)
    {
      flow_toast (flow, _("There is no other client to merge."));
      merge_flow_free (flow);
      return;
    }

  body = g_strdup_printf (_("Choose the client whose records move to %s. You will see what moves before "
                            "anything changes."), into_name);
  dialog = derm_message_dialog_new (flow_parent (flow), _("Merge Clients"), body);
  chooser = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL);
  {
    g_autoptr (GtkExpression) expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

    gtk_drop_down_set_expression (GTK_DROP_DOWN (chooser), expression);
  }
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (chooser), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (chooser), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The client to merge"), -1);
  flow->chooser = GTK_DROP_DOWN (chooser);
  g_object_set_data (G_OBJECT (chooser), "derm-merge-flow", flow);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), chooser);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "next", _("C_ontinue"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "next", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "next");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_choose_response), flow);
  track_dialog (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
derm_client_merge_start (GtkWidget            *owner,
                         DermStore            *store,
                         DermClient           *into,
                         DermClientMergedFunc  func)
{
  MergeFlow *flow;

  g_return_if_fail (GTK_IS_WIDGET (owner));
  g_return_if_fail (DERM_IS_STORE (store));
  g_return_if_fail (DERM_IS_CLIENT (into));

  flow = g_new0 (MergeFlow, 1);
  g_set_weak_pointer (&flow->owner, owner);
  flow->store = g_object_ref (store);
  flow->into = derm_client_copy (into);
  flow->func = func;
  derm_store_list_clients_async (store, TRUE, NULL, on_clients_listed, flow);
}

GtkWidget *
derm_client_merge_get_dialog (void)
{
  return current_dialog;
}

gboolean
derm_client_merge_choose (gint64 from_id)
{
  MergeFlow *flow = NULL;
  GtkWidget *chooser;

  if (current_dialog == NULL ||
      !GTK_IS_DROP_DOWN (chooser = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (current_dialog))))
    return FALSE;

  flow = g_object_get_data (G_OBJECT (chooser), "derm-merge-flow");
  if (flow == NULL)
    return FALSE;
  for (guint i = 0; i < flow->ids->len; i++)
    if (g_array_index (flow->ids, gint64, i) == from_id)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (chooser), i);
        return TRUE;
      }
  return FALSE;
}
