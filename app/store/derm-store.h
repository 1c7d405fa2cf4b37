/* derm-store.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The embedded SQLite store. Every public call is one transaction: it
 * either happens whole or not at all. Objects handed in are validated
 * (derm-validate.h) before anything is written; validation errors come
 * back in DERM_VALIDATION_ERROR, storage problems in DERM_STORE_ERROR.
 *
 * A DermStore may be used from several threads; calls are serialised.
 */
#pragma once

#include <gio/gio.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_STORE_ERROR (derm_store_error_quark ())
GQuark derm_store_error_quark (void);

typedef enum
{
  DERM_STORE_ERROR_LOCKED,     /* another Dermis or dermis-cli holds the database too long */
  DERM_STORE_ERROR_CORRUPT,    /* the file is a damaged database; it was left untouched */
  DERM_STORE_ERROR_FOREIGN,    /* the file is not a Dermis database; it was left untouched */
  DERM_STORE_ERROR_TOO_NEW,    /* written by a newer Dermis */
  DERM_STORE_ERROR_FULL,       /* disk full; the change was rolled back */
  DERM_STORE_ERROR_READ_ONLY,  /* cannot write to the data directory */
  DERM_STORE_ERROR_NOT_FOUND,  /* no such client, screening or session */
  DERM_STORE_ERROR_IO,         /* any other storage failure */
  DERM_STORE_ERROR_NO_DATABASE, /* derm_store_open_existing(): no dermis.db in the folder */
  DERM_STORE_ERROR_OFFLINE,    /* the clinic server cannot be reached; nothing was written */
  DERM_STORE_ERROR_CONSTRAINT, /* the change breaks a rule of the schema (unique, check, reference) */
  DERM_STORE_ERROR_REFUSED,    /* the clinic server refused the connection (login, TLS rule) */
} DermStoreError;

/* The data directory: DERMIS_DATA_DIR if set, else $XDG_DATA_HOME/dermis. */
char         *derm_store_default_data_dir   (void);

#define DERM_STORE_SCHEMA_VERSION 14
/* PRAGMA application_id of a Dermis database ("Derm") */
#define DERM_STORE_APPLICATION_ID 0x4465726d

#define DERM_TYPE_STORE (derm_store_get_type ())
G_DECLARE_FINAL_TYPE (DermStore, derm_store, DERM, STORE, GObject)

/* Opens (creating if needed, 0700 directory and 0600 file) the database
 * dermis.db in @data_dir, or in derm_store_default_data_dir() when NULL,
 * and migrates it to the current schema. Refuses, without writing, a file
 * that is not a Dermis database, is damaged, or is from a newer version. */
DermStore    *derm_store_open               (const char   *data_dir,
                                             GError      **error);
/* The same, for commands that only read: fails with
 * DERM_STORE_ERROR_NO_DATABASE, creating nothing, when the folder holds
 * no database (a mistyped --data-dir must not pass as an empty one) */
DermStore    *derm_store_open_existing      (const char   *data_dir,
                                             GError      **error);
/* TRUE when @data_dir (NULL: the default) holds a non-empty dermis.db */
gboolean      derm_store_database_exists    (const char   *data_dir);
void          derm_store_open_async         (const char   *data_dir,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
DermStore    *derm_store_open_finish        (GAsyncResult *result,
                                             GError      **error);

const char   *derm_store_get_data_dir       (DermStore    *self);
const char   *derm_store_get_path           (DermStore    *self);
/* SQLite's data_version for this connection: it changes when another
 * connection (dermis-cli, another window) commits, never for our own
 * writes. Cheap; safe from any thread. */
gboolean      derm_store_get_data_version   (DermStore    *self,
                                             gint64       *version,
                                             GError      **error);
int           derm_store_get_schema_version (DermStore    *self);

/* Clients. add sets the id, created-at and updated-at on @client. */
gboolean      derm_store_add_client         (DermStore    *self,
                                             DermClient   *client,
                                             GError      **error);
gboolean      derm_store_update_client      (DermStore    *self,
                                             DermClient   *client,
                                             GError      **error);
/* Adds every client of @clients in one transaction (a CSV import): all
 * are validated first, and one that fails (its error names its position,
 * "Client 3 of 40: ...") leaves the store unchanged. Each is audited as
 * "import". Sets the ids and times on the clients. */
gboolean      derm_store_add_clients        (DermStore    *self,
                                             GPtrArray    *clients,
                                             GError      **error);
/* With its last visit and Do Not Treat, as the list has them */
DermClient   *derm_store_get_client         (DermStore    *self,
                                             gint64        id,
                                             GError      **error);
/* DermClient objects ordered by name, each with last-visit filled in */
GPtrArray    *derm_store_list_clients       (DermStore    *self,
                                             gboolean      include_archived,
                                             GError      **error);

/* One client as the list shows it; its strings (NULL when empty) live
 * only during the call it is passed to */
typedef struct
{
  gint64       id;
  const char  *name;
  const char  *phone;
  const char  *email;
  const char  *last_visit;
  const char  *do_not_treat;   /* as derm_client_get_do_not_treat() */
  gboolean     archived;
} DermClientListRow;

typedef void (*DermClientRowFunc)           (const DermClientListRow *row,
                                             gpointer                 user_data);
/* The clients of derm_store_list_clients(), in its order and from one
 * snapshot, passed to @func one row at a time with no object per client:
 * for a list that only prints them (dermis-cli client list). @func must
 * not call the store. */
gboolean      derm_store_foreach_client     (DermStore          *self,
                                             gboolean            include_archived,
                                             DermClientRowFunc   func,
                                             gpointer            user_data,
                                             GError            **error);
void          derm_store_list_clients_async (DermStore    *self,
                                             gboolean      include_archived,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
GPtrArray    *derm_store_list_clients_finish (DermStore   *self,
                                             GAsyncResult *result,
                                             GError      **error);
/* The window's way in: each runs the call above on the store's worker
 * thread, in the order asked (a save, then a reload, sees the save), and
 * finishes on the main context. A write that waits for another Dermis or
 * dermis-cli keeps the worker waiting, never the window. */
/* Adds @client when its id is 0, else updates it. Hand over a copy the
 * window does not change meanwhile; finish returns the client as stored
 * (id, times, last visit and Do Not Treat as derm_store_get_client()). */
void          derm_store_save_client_async  (DermStore    *self,
                                             DermClient   *client,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
DermClient   *derm_store_save_client_finish (DermStore    *self,
                                             GAsyncResult *result,
                                             GError      **error);
/* Archives or restores, then returns the client as stored */
void          derm_store_set_client_archived_async (DermStore *self,
                                             gint64        id,
                                             gboolean      archived,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
DermClient   *derm_store_set_client_archived_finish (DermStore *self,
                                             GAsyncResult *result,
                                             GError      **error);
DermClient   *derm_store_get_client_finish  (DermStore    *self,
                                             GAsyncResult *result,
                                             GError      **error);
void          derm_store_get_client_async   (DermStore    *self,
                                             gint64        id,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer      user_data);
gboolean      derm_store_set_client_archived (DermStore   *self,
                                             gint64        id,
                                             gboolean      archived,
                                             GError      **error);
/* Deletes the client with all their screenings and sessions */
gboolean      derm_store_delete_client      (DermStore    *self,
                                             gint64        id,
                                             GError      **error);

/* Screenings are kept as history: added, never edited. add sets id and created-at. */
gboolean      derm_store_add_screening      (DermStore    *self,
                                             DermScreening *screening,
                                             GError      **error);
/* The latest by date (then by id); NULL with no error when there is none */
DermScreening *derm_store_get_latest_screening (DermStore *self,
                                             gint64        client_id,
                                             GError      **error);
/* Newest first */
GPtrArray    *derm_store_list_screenings    (DermStore    *self,
                                             gint64        client_id,
                                             GError      **error);

/* Treatment sessions. add sets id, created-at and updated-at. */
gboolean      derm_store_add_treatment      (DermStore    *self,
                                             DermTreatment *treatment,
                                             GError      **error);
gboolean      derm_store_update_treatment   (DermStore    *self,
                                             DermTreatment *treatment,
                                             GError      **error);
DermTreatment *derm_store_get_treatment     (DermStore    *self,
                                             gint64        id,
                                             GError      **error);
gboolean      derm_store_delete_treatment   (DermStore    *self,
                                             gint64        id,
                                             GError      **error);
/* Newest first */
GPtrArray    *derm_store_list_treatments    (DermStore    *self,
                                             gint64        client_id,
                                             GError      **error);

/* The audit log, newest first. Each entry is a GVariant of type
 * (xsssxs): time (unix seconds), OS user, action ("create", "import",
 * "update", "archive", "unarchive", "delete", "erase", "override"), entity
 * ("client", "screening", "treatment", "photo", "region", "protocol",
 * "clinic", "series", "appointment"), entity id, and what changed: the
 * changed field names comma-separated, never their values, with one
 * exception: an "override" entry (a treatment recorded despite a
 * contraindication) holds the finding and the practitioner's written
 * reason ("contraindication=CODE; reason=TEXT"), because the override is
 * a clinical decision the log must keep in full. */
GPtrArray    *derm_store_list_audit         (DermStore    *self,
                                             guint         limit,
                                             GError      **error);

G_END_DECLS

G_BEGIN_DECLS
/* Runs on the store's worker thread: calls the store's functions (never a
 * widget) and returns the result in @result (freed with the result_free
 * given to derm_store_call_async() when nobody finishes the call), or
 * FALSE with @error set. */
typedef gboolean  (*DermStoreCallFunc)          (DermStore     *self,
                                                 gpointer       data,
                                                 gpointer      *result,
                                                 GError       **error);
/* The machinery of every _async/_finish pair, open to the callers that
 * make several store calls in one go (a dialog's reads, the photo
 * library's erase): @func runs on the store's one worker thread, after
 * the calls queued before it (a save, then a reload, see the save), and
 * @callback runs on the caller's main context. @data is the worker's own
 * copy of what it needs, freed with @data_free; @source_tag tells the
 * results apart and is given again to derm_store_call_finish(). */
void          derm_store_call_async         (DermStore          *self,
                                             gpointer            source_tag,
                                             DermStoreCallFunc   func,
                                             gpointer            data,
                                             GDestroyNotify      data_free,
                                             GDestroyNotify      result_free,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
/* The result (NULL without @error when the call returned none) */
gpointer      derm_store_call_finish        (DermStore          *self,
                                             GAsyncResult       *result,
                                             gpointer            source_tag,
                                             GError            **error);

/* Closes the database now, as a clean exit does, whoever still holds a
 * reference: the application calls it when it shuts down. Later calls
 * on the store fail with DERM_STORE_ERROR_IO. */
void          derm_store_close              (DermStore    *self);
/* How long a write waits for another Dermis or dermis-cli to finish
 * before failing with DERM_STORE_ERROR_LOCKED (default 5000 ms) */
/* Now: the store's clock when a test or simulation set one
 * (derm_store_set_clock ()), else the real local time. Today's Do Not
 * Treat and findings are judged by it. */
GDateTime    *derm_store_dup_now            (DermStore    *self);
void          derm_store_set_busy_timeout   (DermStore    *self,
                                             guint         milliseconds);
G_END_DECLS

G_BEGIN_DECLS
/* Any work on the store off the main thread: @func runs on the store's
 * worker thread (the same one, in the same order, as every other _async
 * call, so a reload asked for after a save sees the save) and may call
 * any store function; @callback runs on the caller's main context. Hand
 * @func its own copy of what it needs in @data (freed with @data_free);
 * its @result is freed with @result_free when nobody finishes the call. */
typedef gboolean (*DermStoreWorkFunc)           (DermStore    *store,
                                                 gpointer      data,
                                                 gpointer     *result,
                                                 GError      **error);
void          derm_store_run_async          (DermStore         *self,
                                             DermStoreWorkFunc  func,
                                             gpointer           data,
                                             GDestroyNotify     data_free,
                                             GDestroyNotify     result_free,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
/* FALSE with @error set when @func failed or the call was cancelled;
 * else TRUE with what @func returned in @out (transfer full, may be NULL) */
gboolean      derm_store_run_finish         (DermStore         *self,
                                             GAsyncResult      *result,
                                             gpointer          *out,
                                             GError           **error);
G_END_DECLS
