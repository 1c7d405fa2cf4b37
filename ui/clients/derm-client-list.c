/* derm-client-list.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GListStore (every client) -> GtkSortListModel -> GtkFilterListModel ->
 * GtkSingleSelection -> GtkListView. Sorting comes before filtering so a
 * keystroke in the search entry only filters an already sorted model:
 * the filter keeps the order and nothing is re-sorted while typing. Both
 * models run non-incrementally, so the model is up to date as soon as a
 * setter returns.
 */
#define G_LOG_DOMAIN "derm-client-list"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-store.h"
#include "derm-client-list.h"
#include "derm-client-row.h"

struct _DermClientList
{
  GtkWidget           parent_instance;

  DermStore          *store;
  GCancellable       *cancellable;
  guint               day_source;   /* reloads when the day changes */

  GListStore         *clients;
  GtkSortListModel   *sort_model;
  GtkFilterListModel *filter_model;
  GtkSingleSelection *selection;
  GtkCustomSorter    *sorter;
  GtkCustomFilter    *filter;

  char               *query;
  char               *folded_query;
  DermClientSort      sort;
  gint64              selected_id;

  guint               show_archived : 1;
  guint               loading : 1;
  guint               selecting : 1;

  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (DermClientList, derm_client_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_CLIENTS,
  PROP_QUERY,
  PROP_SHOW_ARCHIVED,
  PROP_STORE,
  N_PROPS
};

enum {
  CLIENT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The collation key of a client's name, cached on the client so that
 * sorting 10,000 clients compares bytes, not Unicode. The name it was
 * made from is kept so a renamed client gets a new key. */
typedef struct
{
  char *name;
  char *key;
} CollateKey;

static GQuark collate_key_quark;

static void
collate_key_free (gpointer data)
{
  CollateKey *ck = data;

  g_free (ck->name);
  g_free (ck->key);
  g_free (ck);
}

static const char *
client_collate_key (DermClient *client)
{
  const char *name = derm_client_get_name (client);
  CollateKey *ck;

  if (name == NULL)
    name = "";

  ck = g_object_get_qdata (G_OBJECT (client), collate_key_quark);
  if (ck != NULL && g_str_equal (ck->name, name))
    return ck->key;

  ck = g_new0 (CollateKey, 1);
  ck->name = g_strdup (name);
  ck->key = g_utf8_collate_key (name, -1);
  g_object_set_qdata_full (G_OBJECT (client), collate_key_quark, ck, collate_key_free);

  return ck->key;
}

static int
compare_by_name (DermClient *a,
                 DermClient *b)
{
  int ret = strcmp (client_collate_key (a), client_collate_key (b));

  if (ret != 0)
    return ret;

  /* Same name: a stable order */
  if (derm_client_get_id (a) < derm_client_get_id (b))
    return -1;
  return derm_client_get_id (a) > derm_client_get_id (b);
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  DermClientList *self = user_data;
  DermClient *ca = (DermClient *)a;
  DermClient *cb = (DermClient *)b;

  if (self->sort == DERM_CLIENT_SORT_LAST_VISIT)
    {
      const char *va = derm_client_get_last_visit (ca);
      const char *vb = derm_client_get_last_visit (cb);

      /* Newest first; clients never seen go last. ISO dates sort as text. */
      if (va != NULL && vb == NULL)
        return GTK_ORDERING_SMALLER;
      if (va == NULL && vb != NULL)
        return GTK_ORDERING_LARGER;
      if (va != NULL && vb != NULL)
        {
          int ret = strcmp (vb, va);

          if (ret != 0)
            return gtk_ordering_from_cmpfunc (ret);
        }
    }

  return gtk_ordering_from_cmpfunc (compare_by_name (ca, cb));
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  DermClientList *self = user_data;
  DermClient *client = item;

  if (!self->show_archived && derm_client_get_archived (client))
    return FALSE;

  if (self->folded_query == NULL)
    return TRUE;

  return derm_client_matches (client, self->folded_query);
}

static void
derm_client_list_update_stack (DermClientList *self)
{
  const char *page;

  if (self->loading && g_list_model_get_n_items (G_LIST_MODEL (self->clients)) == 0)
    page = "loading";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    page = "list";
  else if (self->folded_query != NULL)
    page = "no-results";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->clients)) > 0)
    page = "no-active";
  else
    page = "empty";

  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
set_loading (DermClientList *self,
             gboolean        loading)
{
  loading = !!loading;

  if (self->loading == loading)
    return;

  self->loading = loading;
  derm_client_list_update_stack (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static guint
find_client (GListModel *model,
             gint64      id)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DermClient) client = g_list_model_get_item (model, i);

      if (derm_client_get_id (client) == id)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static gboolean
on_day_changed (gpointer user_data)
{
  DermClientList *self = user_data;

  self->day_source = 0;
  derm_client_list_reload (self);
  return G_SOURCE_REMOVE;
}

/* Do Not Treat is judged for today: a contraindication window that ends
 * tonight must not keep its badge tomorrow in a window left open. The list
 * is read again a second after the next midnight (by the store's clock,
 * so tests can move it). */
static void
schedule_day_change (DermClientList *self)
{
  g_autoptr (GDateTime) now = derm_store_dup_now (self->store);
  g_autoptr (GDateTime) start = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                                                 g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                                                 0, 0, 0);
  g_autoptr (GDateTime) midnight = g_date_time_add_days (start, 1);
  GTimeSpan until = g_date_time_difference (midnight, now);

  g_clear_handle_id (&self->day_source, g_source_remove);
  self->day_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (until / 1000 + 1000),
                                         on_day_changed, self, NULL);
}

static void
list_clients_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DermStore *store = (DermStore *)object;
  g_autoptr (DermClientList) self = user_data;
  g_autoptr (GPtrArray) clients = NULL;
  g_autoptr (GError) error = NULL;
  gint64 selected_id;

  clients = derm_store_list_clients_finish (store, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);

  if (clients == NULL)
    {
      g_autofree char *message = NULL;

      g_warning ("Could not list clients: %s", error->message);
      message = g_strdup_printf (_("Could not load the clients: %s"), error->message);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", message);
      set_loading (self, FALSE);
      return;
    }

  /* Replacing the items drops the selection; keep the selected client */
  selected_id = self->selected_id;

  self->selecting = TRUE;
  g_list_store_splice (self->clients, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->clients)),
                       clients->pdata, clients->len);
  self->selecting = FALSE;

  set_loading (self, FALSE);
  derm_client_list_update_stack (self);
  schedule_day_change (self);

  if (selected_id != 0)
    derm_client_list_select_client (self, selected_id);
}

void
derm_client_list_reload (DermClientList *self)
{
  g_return_if_fail (DERM_IS_CLIENT_LIST (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->store == NULL)
    {
      g_list_store_remove_all (self->clients);
      set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);

  derm_store_list_clients_async (self->store,
                                 TRUE,
                                 self->cancellable,
                                 list_clients_cb,
                                 g_object_ref (self));
}

static void
on_selected_item_changed (DermClientList     *self,
                          GParamSpec         *pspec,
                          GtkSingleSelection *selection)
{
  DermClient *client;

  client = gtk_single_selection_get_selected_item (selection);
  if (client == NULL)
    {
      /* An item filtered away keeps its id, so it is selected again if
       * it comes back through a reload. */
      return;
    }

  self->selected_id = derm_client_get_id (client);

  if (!self->selecting)
    g_signal_emit (self, signals[CLIENT_ACTIVATED], 0, client);
}

static void
on_list_view_activate (DermClientList *self,
                       guint           position,
                       GtkListView    *list_view)
{
  g_autoptr (DermClient) client = NULL;

  /* A click selects first, and selecting already opened the client */
  if (position == gtk_single_selection_get_selected (self->selection))
    return;

  client = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (client == NULL)
    return;

  self->selected_id = derm_client_get_id (client);
  g_signal_emit (self, signals[CLIENT_ACTIVATED], 0, client);
}

static void
on_filter_items_changed (DermClientList *self,
                         guint           position,
                         guint           removed,
                         guint           added,
                         GListModel     *model)
{
  derm_client_list_update_stack (self);
}

static void
on_clients_items_changed (DermClientList *self,
                          guint           position,
                          guint           removed,
                          guint           added,
                          GListModel     *model)
{
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLIENTS]);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, derm_client_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  DermClientRow *row = DERM_CLIENT_ROW (gtk_list_item_get_child (item));

  derm_client_row_set_client (row, gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  DermClientRow *row = DERM_CLIENT_ROW (gtk_list_item_get_child (item));

  derm_client_row_set_client (row, NULL);
}

GtkWidget *
derm_client_list_new (void)
{
  return g_object_new (DERM_TYPE_CLIENT_LIST, NULL);
}

DermStore *
derm_client_list_get_store (DermClientList *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_LIST (self), NULL);

  return self->store;
}

void
derm_client_list_set_store (DermClientList *self,
                            DermStore      *store)
{
  g_return_if_fail (DERM_IS_CLIENT_LIST (self));
  g_return_if_fail (store == NULL || DERM_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  self->selected_id = 0;
  g_list_store_remove_all (self->clients);
  derm_client_list_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

gboolean
derm_client_list_get_loading (DermClientList *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_LIST (self), FALSE);

  return self->loading;
}

const char *
derm_client_list_get_query (DermClientList *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_LIST (self), NULL);

  return self->query ? self->query : "";
}

void
derm_client_list_set_query (DermClientList *self,
                            const char     *query)
{
  g_autofree char *folded = NULL;
  GtkFilterChange change;

  g_return_if_fail (DERM_IS_CLIENT_LIST (self));

  if (query == NULL)
    query = "";

  if (g_strcmp0 (self->query, query) == 0)
    return;

  g_free (self->query);
  self->query = g_strdup (query);

  /* Fold once per keystroke, not once per client */
  folded = derm_fold_for_search (query);
  if (folded != NULL)
    g_strstrip (folded);
  if (folded != NULL && *folded == '\0')
    g_clear_pointer (&folded, g_free);

  if (g_strcmp0 (folded, self->folded_query) != 0)
    {
      /* Every word of the query must occur in the client, so a query
       * that extends the previous one can only match fewer clients and
       * only the ones shown need checking again, and the other way round. */
      if (self->folded_query == NULL)
        change = GTK_FILTER_CHANGE_MORE_STRICT;
      else if (folded == NULL)
        change = GTK_FILTER_CHANGE_LESS_STRICT;
      else if (g_str_has_prefix (folded, self->folded_query))
        change = GTK_FILTER_CHANGE_MORE_STRICT;
      else if (g_str_has_prefix (self->folded_query, folded))
        change = GTK_FILTER_CHANGE_LESS_STRICT;
      else
        change = GTK_FILTER_CHANGE_DIFFERENT;

      g_free (self->folded_query);
      self->folded_query = g_steal_pointer (&folded);

      gtk_filter_changed (GTK_FILTER (self->filter), change);
      derm_client_list_update_stack (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

DermClientSort
derm_client_list_get_sort (DermClientList *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_LIST (self), DERM_CLIENT_SORT_NAME);

  return self->sort;
}

void
derm_client_list_set_sort (DermClientList *self,
                           DermClientSort  sort)
{
  g_return_if_fail (DERM_IS_CLIENT_LIST (self));
  g_return_if_fail (sort == DERM_CLIENT_SORT_NAME || sort == DERM_CLIENT_SORT_LAST_VISIT);

  if (self->sort == sort)
    return;

  self->sort = sort;

  self->selecting = TRUE;
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  self->selecting = FALSE;
}

gboolean
derm_client_list_get_show_archived (DermClientList *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_LIST (self), FALSE);

  return self->show_archived;
}

void
derm_client_list_set_show_archived (DermClientList *self,
                                    gboolean        show_archived)
{
  g_return_if_fail (DERM_IS_CLIENT_LIST (self));

  show_archived = !!show_archived;

  if (self->show_archived == show_archived)
    return;

  self->show_archived = show_archived;
  gtk_filter_changed (GTK_FILTER (self->filter),
                      show_archived ? GTK_FILTER_CHANGE_LESS_STRICT
                                    : GTK_FILTER_CHANGE_MORE_STRICT);
  derm_client_list_update_stack (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ARCHIVED]);
}

void
derm_client_list_update_client (DermClientList *self,
                                DermClient     *client)
{
  g_autoptr (DermClient) copy = NULL;
  guint position;

  g_return_if_fail (DERM_IS_CLIENT_LIST (self));
  g_return_if_fail (DERM_IS_CLIENT (client));
  g_return_if_fail (derm_client_get_id (client) > 0);

  /* A copy, so edits the page makes before saving never show here */
  copy = derm_client_copy (client);

  position = find_client (G_LIST_MODEL (self->clients), derm_client_get_id (client));

  self->selecting = TRUE;
  if (position == GTK_INVALID_LIST_POSITION)
    g_list_store_append (self->clients, copy);
  else
    g_list_store_splice (self->clients, position, 1, (gpointer *)&copy, 1);
  self->selecting = FALSE;

  derm_client_list_update_stack (self);
}

void
derm_client_list_remove_client (DermClientList *self,
                                gint64          id)
{
  guint position;

  g_return_if_fail (DERM_IS_CLIENT_LIST (self));

  position = find_client (G_LIST_MODEL (self->clients), id);
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  if (self->selected_id == id)
    self->selected_id = 0;

  self->selecting = TRUE;
  g_list_store_remove (self->clients, position);
  self->selecting = FALSE;

  derm_client_list_update_stack (self);
}

gboolean
derm_client_list_select_client (DermClientList *self,
                                gint64          id)
{
  guint position;

  g_return_val_if_fail (DERM_IS_CLIENT_LIST (self), FALSE);

  self->selected_id = id;

  position = find_client (G_LIST_MODEL (self->selection), id);
  if (position == GTK_INVALID_LIST_POSITION)
    {
      self->selecting = TRUE;
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      self->selecting = FALSE;
      return FALSE;
    }

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;

  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);

  return TRUE;
}

void
derm_client_list_unselect (DermClientList *self)
{
  g_return_if_fail (DERM_IS_CLIENT_LIST (self));

  self->selected_id = 0;

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
}

DermClient *
derm_client_list_get_selected (DermClientList *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_LIST (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

GListModel *
derm_client_list_get_model (DermClientList *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_LIST (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

guint
derm_client_list_get_n_clients (DermClientList *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_LIST (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->clients));
}

static void
derm_client_list_dispose (GObject *object)
{
  DermClientList *self = (DermClientList *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->day_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_CLIENT_LIST);

  /* The selection owns the whole model chain */
  g_clear_object (&self->selection);
  self->filter_model = NULL;
  self->filter = NULL;
  self->sort_model = NULL;
  self->sorter = NULL;
  self->clients = NULL;
  g_clear_object (&self->store);

  G_OBJECT_CLASS (derm_client_list_parent_class)->dispose (object);
}

static void
derm_client_list_finalize (GObject *object)
{
  DermClientList *self = (DermClientList *)object;

  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->folded_query, g_free);

  G_OBJECT_CLASS (derm_client_list_parent_class)->finalize (object);
}

static void
derm_client_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DermClientList *self = DERM_CLIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_N_CLIENTS:
      g_value_set_uint (value, derm_client_list_get_n_clients (self));
      break;

    case PROP_QUERY:
      g_value_set_string (value, derm_client_list_get_query (self));
      break;

    case PROP_SHOW_ARCHIVED:
      g_value_set_boolean (value, self->show_archived);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DermClientList *self = DERM_CLIENT_LIST (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      derm_client_list_set_query (self, g_value_get_string (value));
      break;

    case PROP_SHOW_ARCHIVED:
      derm_client_list_set_show_archived (self, g_value_get_boolean (value));
      break;

    case PROP_STORE:
      derm_client_list_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_list_class_init (DermClientListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_client_list_dispose;
  object_class->finalize = derm_client_list_finalize;
  object_class->get_property = derm_client_list_get_property;
  object_class->set_property = derm_client_list_set_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_N_CLIENTS] =
    g_param_spec_uint ("n-clients", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_SHOW_ARCHIVED] =
    g_param_spec_boolean ("show-archived", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         DERM_TYPE_STORE,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermClientList::client-activated:
   * @client: the client the user picked
   *
   * Emitted when the user selects or activates a client, not when the
   * selection is changed with derm_client_list_select_client().
   */
  signals[CLIENT_ACTIVATED] =
    g_signal_new ("client-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, DERM_TYPE_CLIENT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/dermis/Dermis/derm-client-list.ui");
  gtk_widget_class_bind_template_child (widget_class, DermClientList, stack);
  gtk_widget_class_bind_template_child (widget_class, DermClientList, spinner);
  gtk_widget_class_bind_template_child (widget_class, DermClientList, list_view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dermclientlist");

  collate_key_quark = g_quark_from_static_string ("derm-client-list-collate-key");
}

static void
derm_client_list_init (DermClientList *self)
{
  g_autoptr (GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->sort = DERM_CLIENT_SORT_NAME;

  self->clients = g_list_store_new (DERM_TYPE_CLIENT);
  self->sorter = gtk_custom_sorter_new (sort_func, self, NULL);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);

  /* The models take ownership of the store, sorter and filter */
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->clients),
                                              GTK_SORTER (self->sorter));
  gtk_sort_list_model_set_incremental (self->sort_model, FALSE);
  self->filter_model = gtk_filter_list_model_new (G_LIST_MODEL (self->sort_model),
                                                  GTK_FILTER (self->filter));
  gtk_filter_list_model_set_incremental (self->filter_model, FALSE);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filter_model));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  g_signal_connect_object (self->clients,
                           "items-changed",
                           G_CALLBACK (on_clients_items_changed),
                           self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model,
                           "items-changed",
                           G_CALLBACK (on_filter_items_changed),
                           self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection,
                           "notify::selected-item",
                           G_CALLBACK (on_selected_item_changed),
                           self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);

  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->list_view,
                           "activate",
                           G_CALLBACK (on_list_view_activate),
                           self,
                           G_CONNECT_SWAPPED);

  derm_client_list_update_stack (self);
}
