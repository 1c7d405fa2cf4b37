/* derm-store.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Health data lives here, so the store is conservative: it never creates
 * a database over a file it does not recognise, it checks the file before
 * using it, every call is one transaction, and failures roll back.
 */
#define G_LOG_DOMAIN "derm-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "derm-client.h"
#include "derm-clinic.h"
#include "derm-enums.h"
#include "derm-finding.h"
#include "derm-screening.h"
#include "derm-screening-rules.h"
#include "derm-store.h"
#include "derm-store-private.h"
#include "derm-treatment.h"
#include "derm-validate.h"

#define DB_FILE_NAME "dermis.db"
#define DEFAULT_BUSY_TIMEOUT_MS 5000


G_DEFINE_FINAL_TYPE (DermStore, derm_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (derm-store-error-quark, derm_store_error)

/* Migration steps: step i takes user_version i to i+1. Never edit a step
 * that has shipped; add a new one. */
static const char * const migrations[] = {
  /* 0 -> 1: records */
  "CREATE TABLE clients ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  date_of_birth TEXT,"
  "  phone TEXT,"
  "  email TEXT,"
  "  fitzpatrick INTEGER NOT NULL DEFAULT 0 CHECK (fitzpatrick BETWEEN 0 AND 6),"
  "  concerns TEXT NOT NULL DEFAULT '',"
  "  goals TEXT,"
  "  notes TEXT,"
  "  archived INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE TABLE screenings ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  date TEXT NOT NULL,"
  "  created_at TEXT NOT NULL);"
  "CREATE TABLE screening_answers ("
  "  screening_id INTEGER NOT NULL REFERENCES screenings (id) ON DELETE CASCADE,"
  "  question TEXT NOT NULL,"
  "  answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'unknown')),"
  "  details TEXT,"
  "  date TEXT,"
  "  PRIMARY KEY (screening_id, question));"
  "CREATE TABLE treatments ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  date TEXT NOT NULL,"
  "  practitioner TEXT,"
  "  areas TEXT,"
  "  device TEXT,"
  "  cartridge_lot TEXT,"
  "  passes INTEGER NOT NULL DEFAULT 0,"
  "  topical TEXT,"
  "  anaesthetic TEXT,"
  "  immediate_response TEXT,"
  "  aftercare_given INTEGER NOT NULL DEFAULT 0,"
  "  notes TEXT,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE TABLE treatment_depths ("
  "  treatment_id INTEGER NOT NULL REFERENCES treatments (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  zone TEXT NOT NULL,"
  "  depth_mm REAL NOT NULL CHECK (depth_mm BETWEEN 0.1 AND 3.0),"
  "  PRIMARY KEY (treatment_id, position));",

  /* 1 -> 2: audit log, and indexes for per-client lookups */
  "CREATE TABLE audit_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  os_user TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  entity TEXT NOT NULL,"
  "  entity_id INTEGER NOT NULL,"
  "  fields TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX screenings_by_client ON screenings (client_id, date);"
  "CREATE INDEX treatments_by_client ON treatments (client_id, date);",

  /* 2 -> 3: photos (derm-store-photos.c); the originals live on disk,
   * content-addressed by sha256, one file for every row with that hash */
  "CREATE TABLE photos ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  treatment_id INTEGER REFERENCES treatments (id) ON DELETE SET NULL,"
  "  sha256 TEXT NOT NULL CHECK (length (sha256) = 64),"
  "  original_name TEXT NOT NULL,"
  "  mime_type TEXT NOT NULL,"
  "  width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  orientation INTEGER NOT NULL DEFAULT 1 CHECK (orientation BETWEEN 1 AND 8),"
  "  captured_at TEXT,"
  "  camera_make TEXT,"
  "  camera_model TEXT,"
  "  view TEXT NOT NULL DEFAULT 'other' CHECK (view IN ('front', 'left-45', 'right-45',"
  "    'left-90', 'right-90', 'close-up', 'other')),"
  "  area TEXT,"
  "  imported_at TEXT NOT NULL,"
  "  removed_at TEXT,"
  "  UNIQUE (client_id, sha256));"
  "CREATE INDEX photos_by_sha256 ON photos (sha256);"
  "CREATE INDEX photos_by_treatment ON photos (treatment_id);",

  /* 3 -> 4: the treatment planner (derm-store-planner.c): protocols,
   * clinic settings, series and appointments. Appointments keep the
   * local wall-clock start and its zone (what the user booked) and the
   * UTC instants derived from them (what overlap checks compare). */
  "CREATE TABLE planner_settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "INSERT INTO planner_settings (key, value) VALUES"
  "  ('calendar-id', lower (hex (randomblob (16)))),"
  "  ('time-zone', ''),"
  "  ('slot-step', '15');"
  "CREATE TABLE opening_hours ("
  "  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
  "  open_minute INTEGER NOT NULL CHECK (open_minute >= 0),"
  "  close_minute INTEGER NOT NULL CHECK (close_minute <= 1440),"
  "  CHECK (open_minute < close_minute),"
  "  PRIMARY KEY (weekday, open_minute));"
  "INSERT INTO opening_hours (weekday, open_minute, close_minute) VALUES"
  "  (1, 540, 1080), (2, 540, 1080), (3, 540, 1080), (4, 540, 1080), (5, 540, 1080),"
  "  (6, 540, 780);"
  "CREATE TABLE closed_dates ("
  "  date TEXT PRIMARY KEY,"
  "  label TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE rooms ("
  "  position INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE);"
  "INSERT INTO rooms (position, name) VALUES (0, 'Room 1');"
  "CREATE TABLE practitioners ("
  "  position INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE);"
  "CREATE TABLE protocols ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  sessions INTEGER NOT NULL CHECK (sessions BETWEEN 1 AND 20),"
  "  interval_weeks INTEGER NOT NULL,"
  "  min_interval_weeks INTEGER NOT NULL CHECK (min_interval_weeks >= 1),"
  "  max_interval_weeks INTEGER NOT NULL,"
  "  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),"
  "  follow_up_weeks INTEGER NOT NULL DEFAULT 0,"
  "  CHECK (min_interval_weeks <= interval_weeks AND interval_weeks <= max_interval_weeks));"
  "INSERT INTO protocols (name, sessions, interval_weeks, min_interval_weeks,"
  "  max_interval_weeks, duration_minutes, follow_up_weeks) VALUES"
  "  ('Microneedling, face', 4, 4, 4, 6, 60, 12),"
  "  ('Microneedling, acne scars', 6, 6, 4, 8, 75, 12),"
  "  ('Microneedling, face and neck', 3, 4, 4, 6, 90, 12);"
  "CREATE TABLE series ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  protocol_id INTEGER REFERENCES protocols (id) ON DELETE SET NULL,"
  "  protocol_name TEXT NOT NULL,"
  "  sessions INTEGER NOT NULL,"
  "  interval_weeks INTEGER NOT NULL,"
  "  min_interval_weeks INTEGER NOT NULL,"
  "  max_interval_weeks INTEGER NOT NULL,"
  "  duration_minutes INTEGER NOT NULL,"
  "  follow_up_weeks INTEGER NOT NULL,"
  "  start_date TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'cancelled')),"
  "  practitioner TEXT,"
  "  room TEXT,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE INDEX series_by_client ON series (client_id);"
  "CREATE TABLE appointments ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  series_id INTEGER REFERENCES series (id) ON DELETE CASCADE,"
  "  session_index INTEGER NOT NULL DEFAULT 0,"
  "  session_count INTEGER NOT NULL DEFAULT 0,"
  "  kind TEXT NOT NULL DEFAULT 'session' CHECK (kind IN ('session', 'follow-up-photo')),"
  "  start_local TEXT NOT NULL,"
  "  time_zone TEXT NOT NULL,"
  "  start_utc INTEGER NOT NULL,"
  "  end_utc INTEGER NOT NULL,"
  "  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),"
  "  room TEXT,"
  "  practitioner TEXT,"
  "  status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'done', 'cancelled', 'no-show')),"
  "  note TEXT,"
  "  treatment_id INTEGER REFERENCES treatments (id) ON DELETE SET NULL,"
  "  rescreen_first INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE INDEX appointments_by_start ON appointments (start_utc);"
  "CREATE INDEX appointments_by_room ON appointments (room, start_utc);"
  "CREATE INDEX appointments_by_practitioner ON appointments (practitioner, start_utc);"
  "CREATE INDEX appointments_by_client ON appointments (client_id, start_utc);"
  "CREATE INDEX appointments_by_series ON appointments (series_id, session_index);",

  /* 4 -> 5: comparisons (derm-store-compare.c): a client's named regions
   * per view, in the pixels of the photo they were drawn on, and the
   * analysis cache keyed by photo, pairing, region, settings and
   * algorithm version */
  "CREATE TABLE regions ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  view TEXT NOT NULL CHECK (view IN ('front', 'left-45', 'right-45',"
  "    'left-90', 'right-90', 'close-up', 'other')),"
  "  name TEXT NOT NULL,"
  "  frame_sha256 TEXT NOT NULL CHECK (length (frame_sha256) = 64),"
  "  geometry TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE INDEX regions_by_client ON regions (client_id, view);"
  "CREATE TABLE analysis_cache ("
  "  sha256 TEXT NOT NULL,"
  "  pair TEXT NOT NULL DEFAULT '',"
  "  region_hash TEXT NOT NULL DEFAULT '',"
  "  settings TEXT NOT NULL,"
  "  algorithm_version INTEGER NOT NULL,"
  "  metrics TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  PRIMARY KEY (sha256, pair, region_hash, settings, algorithm_version));",

  /* 5 -> 6: safety. A session recorded despite a contraindication keeps
   * the written reason, and the cautions the practitioner acknowledged;
   * a series has a version that every booking change increments, so a
   * booking made from an older read is refused. (The clinic's time zone
   * is filled in after the migrations: see store_fill_clinic_zone ().) */
  "ALTER TABLE treatments ADD COLUMN override_reason TEXT;"
  "ALTER TABLE treatments ADD COLUMN cautions_acknowledged TEXT;"
  "ALTER TABLE series ADD COLUMN version INTEGER NOT NULL DEFAULT 0;",

  /* 6 -> 7: iCalendar. Each appointment counts its changes (SEQUENCE), so
   * calendar apps replace a moved event; names leave the clinic in
   * exports only when the clinic says so */
  "ALTER TABLE appointments ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;"
  "INSERT INTO planner_settings (key, value) VALUES ('ical-full-names', '0');",

  /* 7 -> 8: the Do Not Treat badge of a whole client list reads only the
   * "yes" answers (derm_store_do_not_treat_locked ()), a few among many */
  "CREATE INDEX screening_answers_yes ON screening_answers (question, screening_id) WHERE answer = 'yes';",

  /* 8 -> 9: documents (derm-store-documents.c): what every printed
   * document carries (the clinic's name, contact line, logo as PNG bytes,
   * paper size) and the aftercare advice per protocol, protocol 0 being
   * sessions outside a series. A deleted protocol takes its advice along,
   * so a protocol created later under a reused id starts from the
   * built-in advice. */
  "CREATE TABLE document_settings ("
  "  key TEXT PRIMARY KEY,"
  "  value BLOB);"
  "INSERT INTO document_settings (key, value) VALUES"
  "  ('clinic-name', ''), ('clinic-contact', ''), ('logo', NULL), ('paper', 'a4');"
  "CREATE TABLE aftercare_templates ("
  "  protocol_id INTEGER PRIMARY KEY CHECK (protocol_id >= 0),"
  "  sun TEXT NOT NULL,"
  "  skincare TEXT NOT NULL,"
  "  actives TEXT NOT NULL,"
  "  actives_days INTEGER NOT NULL CHECK (actives_days BETWEEN 0 AND 90),"
  "  normal TEXT NOT NULL,"
  "  call_clinic TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE TRIGGER aftercare_follows_protocol AFTER DELETE ON protocols BEGIN"
  "  DELETE FROM aftercare_templates WHERE protocol_id = old.id;"
  "END;",

  /* 9 -> 10: the client list comes in name order by walking this index
   * instead of sorting every row (with its notes) in a temporary tree:
   * a quarter of `dermis-cli client list` on 10,000 clients */
  "CREATE INDEX clients_by_name ON clients (name COLLATE NOCASE, id);",

  /* 10 -> 11: practitioners' own week (derm-store-planner.c): per weekday
   * their hours as "09:00-13:00,14:00-18:00" or "" for a day off (no row:
   * the clinic's hours), and days of leave; a consultation is a kind of
   * appointment (no needling: no series, no session intervals). SQLite
   * cannot change a CHECK, so the appointments table is rebuilt as it
   * was, nothing referring to it. */
  "CREATE TABLE practitioner_hours ("
  "  practitioner TEXT NOT NULL,"
  "  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
  "  hours TEXT NOT NULL,"
  "  PRIMARY KEY (practitioner, weekday));"
  "CREATE TABLE practitioner_leave ("
  "  practitioner TEXT NOT NULL,"
  "  date TEXT NOT NULL,"
  "  label TEXT NOT NULL DEFAULT '',"
  "  PRIMARY KEY (practitioner, date));"
  "CREATE TABLE appointments_v11 ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  series_id INTEGER REFERENCES series (id) ON DELETE CASCADE,"
  "  session_index INTEGER NOT NULL DEFAULT 0,"
  "  session_count INTEGER NOT NULL DEFAULT 0,"
  "  kind TEXT NOT NULL DEFAULT 'session' CHECK (kind IN ('session', 'follow-up-photo', 'consultation')),"
  "  start_local TEXT NOT NULL,"
  "  time_zone TEXT NOT NULL,"
  "  start_utc INTEGER NOT NULL,"
  "  end_utc INTEGER NOT NULL,"
  "  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),"
  "  room TEXT,"
  "  practitioner TEXT,"
  "  status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'done', 'cancelled', 'no-show')),"
  "  note TEXT,"
  "  treatment_id INTEGER REFERENCES treatments (id) ON DELETE SET NULL,"
  "  rescreen_first INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  sequence INTEGER NOT NULL DEFAULT 0);"
  "INSERT INTO appointments_v11 (id, client_id, series_id, session_index, session_count, kind,"
  "  start_local, time_zone, start_utc, end_utc, duration_minutes, room, practitioner, status,"
  "  note, treatment_id, rescreen_first, created_at, updated_at, sequence)"
  "  SELECT id, client_id, series_id, session_index, session_count, kind,"
  "  start_local, time_zone, start_utc, end_utc, duration_minutes, room, practitioner, status,"
  "  note, treatment_id, rescreen_first, created_at, updated_at, sequence FROM appointments;"
  "DROP TABLE appointments;"
  "ALTER TABLE appointments_v11 RENAME TO appointments;"
  "CREATE INDEX appointments_by_start ON appointments (start_utc);"
  "CREATE INDEX appointments_by_room ON appointments (room, start_utc);"
  "CREATE INDEX appointments_by_practitioner ON appointments (practitioner, start_utc);"
  "CREATE INDEX appointments_by_client ON appointments (client_id, start_utc);"
  "CREATE INDEX appointments_by_series ON appointments (series_id, session_index);",

  /* 11 -> 12: photo-use consent (derm-photo-use.h): what the client agreed
   * their photos may be used for, and a photo's own consent where it
   * differs (NULL: as the client's). Every client starts at the clinical
   * record only, so nothing recorded before becomes exportable for more. */
  "ALTER TABLE clients ADD COLUMN photo_use TEXT NOT NULL DEFAULT 'clinical'"
  "  CHECK (photo_use IN ('clinical', 'education', 'marketing'));"
  "ALTER TABLE photos ADD COLUMN photo_use TEXT"
  "  CHECK (photo_use IN ('clinical', 'education', 'marketing'));",

  /* 12 -> 13: consent forms (derm-store-consent.c): every version of each
   * protocol's form text, and the signed forms, each naming the version
   * it was signed under and the SHA-256 of its PDF (stored beside the
   * photos). Neither is ever changed; a screening's consent answer may
   * point at the form that was signed. */
  "CREATE TABLE consent_templates ("
  "  id INTEGER PRIMARY KEY,"
  "  protocol_id INTEGER NOT NULL CHECK (protocol_id >= 0),"
  "  version INTEGER NOT NULL CHECK (version >= 1),"
  "  title TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  UNIQUE (protocol_id, version));"
  "CREATE TABLE consent_forms ("
  "  id INTEGER PRIMARY KEY,"
  "  client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,"
  "  template_id INTEGER NOT NULL REFERENCES consent_templates (id),"
  "  protocol_name TEXT NOT NULL,"
  "  signer TEXT NOT NULL,"
  "  practitioner TEXT NOT NULL,"
  "  signed_on TEXT NOT NULL,"
  "  method TEXT NOT NULL CHECK (method IN ('on-screen', 'paper')),"
  "  sha256 TEXT NOT NULL CHECK (length (sha256) = 64),"
  "  created_at TEXT NOT NULL);"
  "CREATE INDEX consent_forms_by_client ON consent_forms (client_id, signed_on);"
  "CREATE INDEX consent_forms_by_sha256 ON consent_forms (sha256);"
  "CREATE TRIGGER consent_templates_never_change BEFORE UPDATE ON consent_templates BEGIN"
  "  SELECT RAISE (ABORT, 'a version of a consent form is never changed');"
  "END;"
  "CREATE TRIGGER consent_forms_never_change BEFORE UPDATE ON consent_forms BEGIN"
  "  SELECT RAISE (ABORT, 'a signed consent form is never changed');"
  "END;"
  "ALTER TABLE screening_answers ADD COLUMN consent_form_id INTEGER"
  "  REFERENCES consent_forms (id) ON DELETE SET NULL;",

  /* 13 -> 14: a practitioner has a stable id, and their hours and leave
   * belong to it, not to the name: a renamed practitioner keeps them
   * (derm_store_rename_practitioner ()). Rows of names no longer listed
   * were never read and are dropped. */
  "CREATE TABLE practitioners_v14 ("
  "  id INTEGER PRIMARY KEY,"
  "  position INTEGER NOT NULL,"
  "  name TEXT NOT NULL UNIQUE);"
  "INSERT INTO practitioners_v14 (position, name) SELECT position, name FROM practitioners ORDER BY position;"
  "CREATE TABLE practitioner_hours_v14 ("
  "  practitioner_id INTEGER NOT NULL REFERENCES practitioners_v14 (id) ON DELETE CASCADE,"
  "  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),"
  "  hours TEXT NOT NULL,"
  "  PRIMARY KEY (practitioner_id, weekday));"
  "INSERT INTO practitioner_hours_v14 (practitioner_id, weekday, hours)"
  "  SELECT p.id, h.weekday, h.hours FROM practitioner_hours h JOIN practitioners_v14 p ON p.name = h.practitioner;"
  "CREATE TABLE practitioner_leave_v14 ("
  "  practitioner_id INTEGER NOT NULL REFERENCES practitioners_v14 (id) ON DELETE CASCADE,"
  "  date TEXT NOT NULL,"
  "  label TEXT NOT NULL DEFAULT '',"
  "  PRIMARY KEY (practitioner_id, date));"
  "INSERT INTO practitioner_leave_v14 (practitioner_id, date, label)"
  "  SELECT p.id, l.date, l.label FROM practitioner_leave l JOIN practitioners_v14 p ON p.name = l.practitioner;"
  "DROP TABLE practitioner_hours;"
  "DROP TABLE practitioner_leave;"
  "DROP TABLE practitioners;"
  "ALTER TABLE practitioners_v14 RENAME TO practitioners;"
  "ALTER TABLE practitioner_hours_v14 RENAME TO practitioner_hours;"
  "ALTER TABLE practitioner_leave_v14 RENAME TO practitioner_leave;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == DERM_STORE_SCHEMA_VERSION);

/* --- errors ------------------------------------------------------------ */

static DermStoreError
code_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DERM_STORE_ERROR_LOCKED;
    case SQLITE_FULL:
      return DERM_STORE_ERROR_FULL;
    case SQLITE_CORRUPT:
      return DERM_STORE_ERROR_CORRUPT;
    case SQLITE_NOTADB:
      return DERM_STORE_ERROR_FOREIGN;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return DERM_STORE_ERROR_READ_ONLY;
    default:
      return DERM_STORE_ERROR_IO;
    }
}

/* SQLite's messages (quick_check's above all) may span lines; every
 * message Dermis shows is one line */
char *
derm_store_one_line (const char *text)
{
  g_autoptr (GString) line = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          pending_space = line->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append (line, "; ");
      pending_space = FALSE;
      g_string_append_c (line, *p);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

void
derm_store_set_sqlite_error (DermStore   *self,
                  int          rc,
                  GError     **error)
{
  DermStoreError code = code_from_sqlite (rc);
  g_autofree char *detail = derm_store_one_line (self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));

  switch (code)
    {
    case DERM_STORE_ERROR_LOCKED:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("The client database is busy: another Dermis window or dermis-cli is writing to it. Nothing was saved; try again in a moment."));
      break;
    case DERM_STORE_ERROR_FULL:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("The disk is full. Nothing was saved and your records are unchanged. Free some disk space and try again."));
      break;
    case DERM_STORE_ERROR_CORRUPT:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("The client database %s is damaged (%s). It was left untouched; restore it from a backup."),
                   self->path, detail);
      break;
    case DERM_STORE_ERROR_FOREIGN:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("%s is not a Dermis database. It was left untouched; move it away or choose another data folder."),
                   self->path);
      break;
    case DERM_STORE_ERROR_READ_ONLY:
      g_set_error (error, DERM_STORE_ERROR, code,
                   _("Cannot write to the client database %s (%s). Check that the folder is yours and writable."),
                   self->path, detail);
      break;
    case DERM_STORE_ERROR_TOO_NEW:
    case DERM_STORE_ERROR_NOT_FOUND:
    case DERM_STORE_ERROR_IO:
    case DERM_STORE_ERROR_NO_DATABASE:
    case DERM_STORE_ERROR_OFFLINE:
    case DERM_STORE_ERROR_CONSTRAINT:
    case DERM_STORE_ERROR_REFUSED:
    default:
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_IO,
                   _("The client database could not be used (%s). Nothing was changed."),
                   detail);
      break;
    }
}

/* --- statements and transactions --------------------------------------- */

sqlite3_stmt *
derm_store_prepare (DermStore   *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  /* keyed by the static SQL string: callers pass literals */
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
derm_store_exec (DermStore   *self,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
derm_store_step_done (DermStore     *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* BEGIN IMMEDIATE, waiting up to the busy timeout for another process
 * to finish writing. The wait happens here, with the mutex released
 * between attempts, rather than in SQLite's busy handler: a read from
 * this process never queues behind a write that is only waiting. On
 * success the mutex is held. */
static gboolean
begin_write (DermStore  *self,
             GError    **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) self->busy_timeout_ms * 1000;
  gulong delay_us = 1000;

  for (;;)
    {
      int rc;

      g_mutex_lock (&self->mutex);
      if (self->db == NULL)
        {
          g_mutex_unlock (&self->mutex);
          g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_IO,
                       _("The client database is closed. Nothing was changed."));
          return FALSE;
        }
      sqlite3_busy_timeout (self->db, 0);
      rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      sqlite3_busy_timeout (self->db, (int) MIN (self->busy_timeout_ms, G_MAXINT));
      if (rc == SQLITE_OK)
        return TRUE;
      if ((rc & 0xff) != SQLITE_BUSY || g_get_monotonic_time () >= deadline)
        {
          derm_store_set_sqlite_error (self, rc, error);
          g_mutex_unlock (&self->mutex);
          return FALSE;
        }
      g_mutex_unlock (&self->mutex);
      g_usleep (delay_us);
      delay_us = MIN (delay_us * 2, 50000);
    }
}

gboolean
derm_store_write (DermStore           *self,
                  DermStoreWriteFunc   write,
                  gpointer             data,
                  GError             **error)
{
  gboolean ok;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (write != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin_write (self, error))
    return FALSE;

  ok = write (self, data, error) && derm_store_exec (self, "COMMIT", error);
  if (!ok)
    derm_store_rollback (self);
  g_mutex_unlock (&self->mutex);
  return ok;
}

void
derm_store_rollback (DermStore *self)
{
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

void
derm_sql_bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

const char *
derm_sql_column_text (sqlite3_stmt *stmt,
             int           index)
{
  return (const char *) sqlite3_column_text (stmt, index);
}

char *
derm_store_now_iso (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
derm_store_audit (DermStore   *self,
       const char  *action,
       const char  *entity,
       gint64       entity_id,
       const char  *fields,
       GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self,
                  "INSERT INTO audit_log (at, os_user, action, entity, entity_id, fields) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  derm_sql_bind_text (stmt, 2, g_get_user_name ());
  derm_sql_bind_text (stmt, 3, action);
  derm_sql_bind_text (stmt, 4, entity);
  sqlite3_bind_int64 (stmt, 5, entity_id);
  derm_sql_bind_text (stmt, 6, fields ? fields : "");
  return derm_store_step_done (self, stmt, error);
}

gboolean
derm_store_not_found (GError     **error,
           const char  *what,
           gint64       id)
{
  g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND,
               _("There is no %s with id %lld."), what, (long long) id);
  return FALSE;
}

GPtrArray *
derm_store_collect_rows (DermStore         *self,
                         sqlite3_stmt      *stmt,
                         DermStoreRowFunc   from_row,
                         GError           **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gpointer
derm_store_fetch_row (DermStore         *self,
                      sqlite3_stmt      *stmt,
                      DermStoreRowFunc   from_row,
                      const char        *what,
                      gint64             id,
                      GError           **error)
{
  gpointer row = NULL;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    row = from_row (stmt);
  else if (rc == SQLITE_DONE)
    {
      if (what != NULL)
        derm_store_not_found (error, what, id);
    }
  else
    derm_store_set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);
  return row;
}

gboolean
derm_store_row_exists_locked (DermStore   *self,
                              const char  *sql,
                              const char  *what,
                              gint64       id,
                              GError     **error)
{
  sqlite3_stmt *stmt = derm_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    return derm_store_not_found (error, what, id);
  derm_store_set_sqlite_error (self, rc, error);
  return FALSE;
}

gboolean
derm_store_client_exists_locked (DermStore  *self,
                                 gint64      client_id,
                                 GError    **error)
{
  return derm_store_row_exists_locked (self, "SELECT 1 FROM clients WHERE id = ?1", _("client"), client_id, error);
}

gboolean
derm_store_protocol_exists_locked (DermStore  *self,
                                   gint64      protocol_id,
                                   GError    **error)
{
  return protocol_id == 0 ||
         derm_store_row_exists_locked (self, "SELECT 1 FROM protocols WHERE id = ?1", _("protocol"),
                                       protocol_id, error);
}

/* --- opening ----------------------------------------------------------- */

char *
derm_store_default_data_dir (void)
{
  const char *env = g_getenv ("DERMIS_DATA_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "dermis", NULL);
}

/* Looks at the file before SQLite does, so that nothing we do can
 * change a file that is not ours. An empty file is one we may have
 * created and then been killed: it is safe to initialise. */
static gboolean
check_existing_file (DermStore  *self,
                     gboolean   *is_new,
                     guint32    *app_id_out,
                     GError    **error)
{
  static const char magic[16] = "SQLite format 3";
  static const char *const companions[] = { "", "-wal", "-journal", "-shm", "-verified" };
  guint8 header[100];
  int fd;
  gssize n;

  /* A pipe named dermis.db (or -wal, -journal, -shm, -verified) would block every
   * open and read for ever, a device would be read as a database: refuse
   * before anything opens them, without blocking (O_NONBLOCK) */
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *path = g_strconcat (self->path, companions[i], NULL);
      struct stat st;

      if (g_stat (path, (GStatBuf *) &st) == 0 && !S_ISREG (st.st_mode))
        {
          g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN,
                       _("%s is not a regular file (a pipe, a device or a folder). It was left untouched; move it away or choose another data folder."),
                       path);
          return FALSE;
        }
    }
  fd = g_open (self->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        {
          *is_new = TRUE;
          return TRUE;
        }
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_READ_ONLY,
                   _("Cannot read the client database %s: %s."), self->path, g_strerror (saved));
      return FALSE;
    }
  {
    struct stat st;

    /* Replaced since the check above */
    if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
      {
        close (fd);
        g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN,
                     _("%s is not a regular file (a pipe, a device or a folder). It was left untouched; move it away or choose another data folder."),
                     self->path);
        return FALSE;
      }
  }

  n = read (fd, header, sizeof header);
  close (fd);

  if (n == 0)
    {
      *is_new = TRUE;
      return TRUE;
    }

  *is_new = FALSE;
  if (n < (gssize) sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN,
                   _("%s is not a Dermis database (it is not a database at all, or is damaged beyond recognition). It was left untouched; move it away or choose another data folder."),
                   self->path);
      return FALSE;
    }

  {
    guint32 app_id = ((guint32) header[68] << 24) | ((guint32) header[69] << 16) |
                     ((guint32) header[70] << 8) | (guint32) header[71];

    *app_id_out = app_id;
    if (app_id != 0 && app_id != DERM_STORE_APPLICATION_ID)
      {
        g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN,
                     _("%s is a database of another application, not Dermis. It was left untouched; move it away or choose another data folder."),
                     self->path);
        return FALSE;
      }
  }

  return TRUE;
}

static gboolean
ensure_data_dir (DermStore  *self,
                 GError    **error)
{
  if (g_file_test (self->data_dir, G_FILE_TEST_EXISTS) &&
      !g_file_test (self->data_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_READ_ONLY,
                   _("The data folder %s is a file, not a folder. Choose another data folder."),
                   self->data_dir);
      return FALSE;
    }

  if (!g_file_test (self->data_dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *parent = g_path_get_dirname (self->data_dir);

      if (g_mkdir_with_parents (parent, 0700) != 0 ||
          (g_mkdir (self->data_dir, 0700) != 0 && errno != EEXIST))
        {
          int saved = errno;
          g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_READ_ONLY,
                       _("Cannot create the data folder %s: %s."),
                       self->data_dir, g_strerror (saved));
          return FALSE;
        }
      /* mkdir is subject to the umask; make sure it is private */
      g_chmod (self->data_dir, 0700);
    }

  return TRUE;
}

static gboolean
create_private_file (DermStore  *self,
                     GError    **error)
{
  int fd = g_open (self->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_READ_ONLY,
                   _("Cannot create the client database %s: %s."), self->path, g_strerror (saved));
      return FALSE;
    }
  fchmod (fd, 0600);
  close (fd);
  return TRUE;
}

/* A full quick_check reads every page: 170 ms for 10,000 clients, paid on
 * every start. Dermis runs it when the file may have been damaged: after
 * an unclean exit (a non-empty WAL, or a file changed since the last
 * clean close), or when the last check is a week old. A clean close
 * records the file's identity in dermis.db-verified, with the time of the
 * last check; a session that changed nothing leaves the record as it is
 * (rewriting it costs two fsyncs, most of a read-only command's time). */
#define VERIFY_EVERY_SECONDS (7 * 24 * 3600)

static char *
file_identity (const char *path)
{
  struct stat st;

  if (g_stat (path, (GStatBuf *) &st) != 0)
    return NULL;
  return g_strdup_printf ("%llu %llu %lld %lld.%09ld",
                          (unsigned long long) st.st_dev, (unsigned long long) st.st_ino,
                          (long long) st.st_size, (long long) st.st_mtim.tv_sec,
                          (long) st.st_mtim.tv_nsec);
}

static char *
verified_path (DermStore *self)
{
  return g_strconcat (self->path, "-verified", NULL);
}

static gboolean
known_good (DermStore *self)
{
  g_autofree char *record_path = verified_path (self);
  g_autofree char *wal_path = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *record = NULL;
  g_autofree char *identity = file_identity (self->path);
  const char *space;
  struct stat wal;
  gint64 verified_at;

  if (identity == NULL || !g_file_get_contents (record_path, &record, NULL, NULL))
    return FALSE;
  if (g_stat (wal_path, (GStatBuf *) &wal) == 0 && wal.st_size > 0)
    return FALSE;

  /* "<identity> <verified at>" */
  space = strrchr (record, ' ');
  if (space == NULL || (gsize) (space - record) != strlen (identity) ||
      strncmp (record, identity, strlen (identity)) != 0)
    return FALSE;
  verified_at = g_ascii_strtoll (space + 1, NULL, 10);
  if (g_get_real_time () / G_USEC_PER_SEC - verified_at >= VERIFY_EVERY_SECONDS)
    return FALSE;
  g_free (self->known_good);
  self->known_good = g_steal_pointer (&record);
  return TRUE;
}

static void
record_known_good (DermStore *self)
{
  g_autofree char *record_path = verified_path (self);
  g_autofree char *identity = file_identity (self->path);
  g_autofree char *record = NULL;
  const char *checked_at = NULL;

  if (identity == NULL)
    return;
  /* Without a check in this session the file is as good as the last check
   * found it, and that check's time stays */
  if (self->known_good != NULL && !self->integrity_checked)
    checked_at = strrchr (self->known_good, ' ') + 1;
  if (checked_at != NULL)
    record = g_strdup_printf ("%s %s", identity, checked_at);
  else
    record = g_strdup_printf ("%s %" G_GINT64_FORMAT, identity, g_get_real_time () / G_USEC_PER_SEC);
  if (g_strcmp0 (record, self->known_good) == 0)
    return;
  if (!g_file_set_contents_full (record_path, record, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
    g_debug ("Could not record %s as verified", self->path);
}

static gboolean
check_integrity (DermStore  *self,
                 GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *result = derm_sql_column_text (stmt, 0);
      ok = g_strcmp0 (result, "ok") == 0;
      if (!ok)
        {
          g_autofree char *detail = derm_store_one_line (result ? result : "?");

          g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_CORRUPT,
                       _("The client database %s is damaged (%s). It was left untouched; restore it from a backup."),
                       self->path, detail);
        }
    }
  else
    derm_store_set_sqlite_error (self, rc, error);

  sqlite3_finalize (stmt);
  return ok;
}

static int
query_int (DermStore  *self,
           const char *sql,
           int        *value)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *value = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  return rc;
}

/* Read-only: decides whether the file is ours and not from the future,
 * before anything (even switching to WAL) writes to it. */
static gboolean
check_schema (DermStore  *self,
              int        *version_out,
              GError    **error)
{
  int version = 0;
  int n_tables = 0;
  int rc;

  if ((rc = query_int (self, "PRAGMA user_version", &version)) != SQLITE_OK ||
      (rc = query_int (self, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
                       &n_tables)) != SQLITE_OK)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }

  /* A database with tables but no version is someone else's */
  if (version == 0 && n_tables > 0)
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN,
                   _("%s is a database of another application, not Dermis. It was left untouched; move it away or choose another data folder."),
                   self->path);
      return FALSE;
    }

  if (version > DERM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_TOO_NEW,
                   _("The client database %s was written by a newer version of Dermis (schema %d; this version knows up to %d). It was left untouched; update Dermis."),
                   self->path, version, DERM_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  *version_out = version;
  return TRUE;
}

typedef struct
{
  int step;
  int found;   /* user_version seen inside the transaction */
} MigrationStep;

static gboolean
migration_step_write (DermStore  *self,
                      gpointer    data,
                      GError    **error)
{
  MigrationStep *m = data;
  g_autofree char *set_version = NULL;
  int rc;

  /* Another process may have migrated while we waited for the lock */
  if ((rc = query_int (self, "PRAGMA user_version", &m->found)) != SQLITE_OK)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  if (m->found > m->step)
    return TRUE;

  set_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                 DERM_STORE_APPLICATION_ID, m->step + 1);
  return derm_store_exec (self, migrations[m->step], error) &&
         derm_store_exec (self, set_version, error);
}

static gboolean
migrate (DermStore  *self,
         int         version,
         GError    **error)
{
  for (int step = version; step < DERM_STORE_SCHEMA_VERSION; step++)
    {
      MigrationStep m = { step, step };

      if (!derm_store_write (self, migration_step_write, &m, error))
        return FALSE;
      if (m.found > step)
        {
          step = m.found - 1;
          continue;
        }
      g_debug ("Migrated %s to schema %d", self->path, step + 1);
    }

  self->schema_version = DERM_STORE_SCHEMA_VERSION;
  return TRUE;
}

/* A database with no clinic time zone (new, or from before schema 6)
 * gets this process's zone once, stored: from then on every process uses
 * the clinic's zone, whatever its own TZ */
static gboolean
store_fill_clinic_zone (DermStore  *self,
                        GError    **error)
{
  g_autofree char *zone = derm_clinic_dup_system_zone_id ();
  sqlite3_stmt *stmt;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "UPDATE planner_settings SET value = ?1 WHERE key = 'time-zone' AND value = ''",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, zone, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
    }
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Every check runs on a read-only connection that never checkpoints, so
 * a file we refuse keeps its bytes, and so do its -wal and -journal:
 * nothing is merged, rolled back or deleted. Only a file that passes is
 * opened for writing. */
static gboolean
check_read_only (DermStore  *self,
                 guint32     app_id,
                 gboolean   *rolled_back_is_ours,
                 GError    **error)
{
  g_autofree char *shm_path = g_strconcat (self->path, "-shm", NULL);
  gboolean had_shm = g_file_test (shm_path, G_FILE_TEST_EXISTS);
  sqlite3 *db = NULL;
  gboolean ok = FALSE;
  int version = 0;
  int rc;

  *rolled_back_is_ours = FALSE;
  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, 1);
      sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
      sqlite3_busy_timeout (db, DEFAULT_BUSY_TIMEOUT_MS);
      self->db = db;
      rc = query_int (self, "PRAGMA user_version", &version);
      self->db = NULL;
    }

  if (rc == SQLITE_READONLY_ROLLBACK)
    {
      /* A hot journal: a transaction was cut short. Rolling it back
       * writes to the file, which only our own file may suffer; a
       * Dermis database runs in WAL mode and so never has one unless
       * it was cut short before its first commit. */
      if (app_id == DERM_STORE_APPLICATION_ID)
        {
          *rolled_back_is_ours = TRUE;
          ok = TRUE;
        }
      else
        g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_FOREIGN,
                     _("%s is a database of another application, with a transaction it did not finish. It was left untouched; move it away or choose another data folder."),
                     self->path);
    }
  else if (rc != SQLITE_OK)
    {
      self->db = db;
      derm_store_set_sqlite_error (self, rc, error);
      self->db = NULL;
    }
  else
    {
      self->db = db;
      ok = TRUE;
      if (!known_good (self))
        {
          ok = check_integrity (self, error);
          self->integrity_checked = ok;
        }
      ok = ok && check_schema (self, &version, error);
      self->db = NULL;
    }

  if (db != NULL)
    sqlite3_close_v2 (db);
  /* The read-only connection may have created the shared-memory index;
   * a refused file gets nothing of ours next to it */
  if (!ok && !had_shm)
    g_unlink (shm_path);
  return ok;
}

/* SQLite refuses a path through a symbolic link (/home -> /var/home, a
 * data folder moved to another disk); open the real path instead */
static gboolean
resolve_data_dir (DermStore  *self,
                  GError    **error)
{
  char *real = realpath (self->data_dir, NULL);

  if (real == NULL)
    {
      int saved = errno;
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_READ_ONLY,
                   _("Cannot use the data folder %s: %s."), self->data_dir, g_strerror (saved));
      return FALSE;
    }
  g_free (self->data_dir);
  self->data_dir = g_strdup (real);
  free (real);
  g_free (self->path);
  self->path = g_build_filename (self->data_dir, DB_FILE_NAME, NULL);
  return TRUE;
}

static gboolean
database_exists (const char *path)
{
  struct stat st;

  return g_stat (path, (GStatBuf *) &st) == 0 && (!S_ISREG (st.st_mode) || st.st_size > 0);
}

static gboolean
store_init_db (DermStore  *self,
               gboolean    must_exist,
               GError    **error)
{
  gboolean is_new = FALSE;
  gboolean created = FALSE;
  gboolean hot_journal_ours = FALSE;
  guint32 app_id = 0;
  int version = 0;
  int rc;

  if (must_exist && !database_exists (self->path))
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NO_DATABASE,
                   _("No Dermis database in %s. Check the data folder (--data-dir); only commands that add records create one."),
                   self->data_dir);
      return FALSE;
    }

  if (!ensure_data_dir (self, error) ||
      !resolve_data_dir (self, error) ||
      !check_existing_file (self, &is_new, &app_id, error))
    return FALSE;

  if (!is_new && !check_read_only (self, app_id, &hot_journal_ours, error))
    return FALSE;

  if (is_new)
    {
      created = !g_file_test (self->path, G_FILE_TEST_EXISTS);
      if (!create_private_file (self, error))
        return FALSE;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW,
                        NULL);
  if (rc != SQLITE_OK)
    {
      derm_store_set_sqlite_error (self, rc, error);
      goto fail;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, DEFAULT_BUSY_TIMEOUT_MS);

  if (hot_journal_ours)
    {
      /* Our own transaction, cut short: now rolled back; check the result */
      if (!check_integrity (self, error))
        goto fail;
      self->integrity_checked = TRUE;
    }
  /* Again on this connection: another process may have changed the file */
  if (!check_schema (self, &version, error))
    goto fail;

  /* WAL lets the app read while dermis-cli writes; FULL sync so a
   * committed record survives a power cut. */
  if (!derm_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !derm_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !derm_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !derm_store_exec (self, "PRAGMA secure_delete = ON", error))
    goto fail;

  if (migrate (self, version, error) && store_fill_clinic_zone (self, error))
    return TRUE;

fail:
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  /* Never leave an empty dermis.db behind a failed first open */
  if (created && !database_exists (self->path))
    g_unlink (self->path);
  return FALSE;
}

static DermStore *
store_open (const char  *data_dir,
            gboolean     must_exist,
            GError     **error)
{
  g_autoptr (DermStore) self = g_object_new (DERM_TYPE_STORE, NULL);

  self->data_dir = data_dir ? g_strdup (data_dir) : derm_store_default_data_dir ();
  self->path = g_build_filename (self->data_dir, DB_FILE_NAME, NULL);

  if (!store_init_db (self, must_exist, error))
    return NULL;

  return g_steal_pointer (&self);
}

DermStore *
derm_store_open (const char  *data_dir,
                 GError     **error)
{
  return store_open (data_dir, FALSE, error);
}

DermStore *
derm_store_open_existing (const char  *data_dir,
                          GError     **error)
{
  return store_open (data_dir, TRUE, error);
}

gboolean
derm_store_database_exists (const char *data_dir)
{
  g_autofree char *dir = data_dir ? g_strdup (data_dir) : derm_store_default_data_dir ();
  g_autofree char *path = g_build_filename (dir, DB_FILE_NAME, NULL);

  return database_exists (path);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  DermStore *store = derm_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
derm_store_open_async (const char          *data_dir,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, derm_store_open_async);
  g_task_set_task_data (task, g_strdup (data_dir), g_free);
  g_task_run_in_thread (task, open_thread);
}

DermStore *
derm_store_open_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
close_db (DermStore *self)
{
  if (self->statements != NULL)
    g_hash_table_remove_all (self->statements);
  if (self->db != NULL)
    {
      /* Closing the last connection checkpoints and removes the WAL:
       * the file is then exactly what this session verified and wrote */
      if (sqlite3_close (self->db) == SQLITE_OK)
        {
          if (self->schema_version > 0)
            record_known_good (self);
        }
      else
        sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
}

void
derm_store_close (DermStore *self)
{
  g_return_if_fail (DERM_IS_STORE (self));

  g_mutex_lock (&self->mutex);
  close_db (self);
  g_mutex_unlock (&self->mutex);
}

static void
derm_store_finalize (GObject *object)
{
  DermStore *self = DERM_STORE (object);

  derm_store_worker_free (self);
  close_db (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->known_good, g_free);
  g_clear_pointer (&self->clock, g_date_time_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (derm_store_parent_class)->finalize (object);
}

static void
derm_store_class_init (DermStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = derm_store_finalize;
}

static void
derm_store_init (DermStore *self)
{
  g_mutex_init (&self->mutex);
  self->busy_timeout_ms = DEFAULT_BUSY_TIMEOUT_MS;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
}

const char *
derm_store_get_data_dir (DermStore *self)
{
  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  return self->data_dir;
}

const char *
derm_store_get_path (DermStore *self)
{
  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  return self->path;
}

int
derm_store_get_schema_version (DermStore *self)
{
  g_return_val_if_fail (DERM_IS_STORE (self), 0);
  return self->schema_version;
}

void
derm_store_set_busy_timeout (DermStore *self,
                             guint      milliseconds)
{
  g_return_if_fail (DERM_IS_STORE (self));
  g_mutex_lock (&self->mutex);
  self->busy_timeout_ms = milliseconds;
  sqlite3_busy_timeout (self->db, (int) MIN (milliseconds, G_MAXINT));
  g_mutex_unlock (&self->mutex);
}

gboolean
derm_store_get_data_version (DermStore  *self,
                             gint64     *version,
                             GError    **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (version != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (self->db == NULL)
    {
      g_set_error (error, DERM_STORE_ERROR, DERM_STORE_ERROR_IO, _("The client database is closed."));
      return FALSE;
    }
  stmt = derm_store_prepare (self, "PRAGMA data_version", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      derm_store_set_sqlite_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
derm_store_get_integrity_checked (DermStore *self)
{
  return self->integrity_checked;
}

sqlite3 *
derm_store_get_db (DermStore *self)
{
  return self->db;
}

const char * const *
derm_store_get_migrations (guint *n_steps)
{
  *n_steps = G_N_ELEMENTS (migrations);
  return migrations;
}

/* --- clients ----------------------------------------------------------- */

#define CLIENT_COLUMNS \
  "c.id, c.name, c.date_of_birth, c.phone, c.email, c.fitzpatrick, c.concerns, " \
  "c.goals, c.notes, c.archived, c.created_at, c.updated_at, " \
  "(SELECT max(t.date) FROM treatments t WHERE t.client_id = c.id)"

static DermClient *
client_from_row (sqlite3_stmt *stmt)
{
  DermClient *client = derm_client_new ();
  DermConcerns concerns = DERM_CONCERN_NONE;
  g_autofree char *bad_key = NULL;

  derm_client_set_id (client, sqlite3_column_int64 (stmt, 0));
  derm_client_set_name (client, derm_sql_column_text (stmt, 1));
  derm_client_set_date_of_birth (client, derm_sql_column_text (stmt, 2));
  derm_client_set_phone (client, derm_sql_column_text (stmt, 3));
  derm_client_set_email (client, derm_sql_column_text (stmt, 4));
  derm_client_set_fitzpatrick (client, (guint) sqlite3_column_int (stmt, 5));
  /* Unknown keys come from a newer Dermis; keep what we understand */
  if (!derm_concerns_from_string (derm_sql_column_text (stmt, 6), &concerns, &bad_key))
    g_debug ("Ignoring unknown concern “%s”", bad_key);
  derm_client_set_concerns (client, concerns);
  derm_client_set_goals (client, derm_sql_column_text (stmt, 7));
  derm_client_set_notes (client, derm_sql_column_text (stmt, 8));
  derm_client_set_archived (client, sqlite3_column_int (stmt, 9) != 0);
  derm_client_set_created_at (client, derm_sql_column_text (stmt, 10));
  derm_client_set_updated_at (client, derm_sql_column_text (stmt, 11));
  derm_client_set_last_visit (client, derm_sql_column_text (stmt, 12));
  return client;
}

static DermClient *
get_client_locked (DermStore  *self,
                   gint64      id,
                   GError    **error)
{
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, "SELECT " CLIENT_COLUMNS " FROM clients c WHERE c.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return derm_store_fetch_row (self, stmt, (DermStoreRowFunc) client_from_row, _("client"), id, error);
}

static void
bind_client (sqlite3_stmt *stmt,
             DermClient   *client)
{
  g_autofree char *concerns = derm_concerns_to_string (derm_client_get_concerns (client));

  derm_sql_bind_text (stmt, 1, derm_client_get_name (client));
  derm_sql_bind_text (stmt, 2, derm_client_get_date_of_birth (client));
  derm_sql_bind_text (stmt, 3, derm_client_get_phone (client));
  derm_sql_bind_text (stmt, 4, derm_client_get_email (client));
  sqlite3_bind_int (stmt, 5, (int) derm_client_get_fitzpatrick (client));
  derm_sql_bind_text (stmt, 6, concerns);
  derm_sql_bind_text (stmt, 7, derm_client_get_goals (client));
  derm_sql_bind_text (stmt, 8, derm_client_get_notes (client));
  sqlite3_bind_int (stmt, 9, derm_client_get_archived (client) ? 1 : 0);
}

/* What a write needs about one record, and the id it gets back */
typedef struct
{
  gpointer    object;
  const char *now;
  gint64      id;
} RecordWrite;

/* Inserts @client created at @now, audited as @action; sets its id */
static gboolean
insert_client (DermStore   *self,
               DermClient  *client,
               const char  *now,
               const char  *action,
               GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self,
                  "INSERT INTO clients (name, date_of_birth, phone, email, fitzpatrick, concerns, "
                  "goals, notes, archived, created_at, updated_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)", error);
  if (stmt == NULL)
    return FALSE;
  bind_client (stmt, client);
  derm_sql_bind_text (stmt, 10, now);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  derm_client_set_id (client, sqlite3_last_insert_rowid (self->db));
  return derm_store_audit (self, action, "client", derm_client_get_id (client), NULL, error);
}

static gboolean
add_client_write (DermStore  *self,
                  gpointer    data,
                  GError    **error)
{
  RecordWrite *w = data;
  g_autoptr (DermClient) copy = derm_client_copy (w->object);

  /* The caller's client gets its id only when the write commits */
  if (!insert_client (self, copy, w->now, "create", error))
    return FALSE;
  w->id = derm_client_get_id (copy);
  return TRUE;
}

gboolean
derm_store_add_client (DermStore   *self,
                       DermClient  *client,
                       GError     **error)
{
  g_autofree char *now = NULL;
  RecordWrite w = { client, NULL, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_CLIENT (client), FALSE);

  if (!derm_validate_client (client, NULL, error))
    return FALSE;

  w.now = now = derm_store_now_iso ();
  if (!derm_store_write (self, add_client_write, &w, error))
    return FALSE;

  derm_client_set_id (client, w.id);
  derm_client_set_created_at (client, now);
  derm_client_set_updated_at (client, now);
  return TRUE;
}

static gboolean
add_clients_write (DermStore  *self,
                   gpointer    data,
                   GError    **error)
{
  RecordWrite *w = data;
  GPtrArray *clients = w->object;

  for (guint i = 0; i < clients->len; i++)
    {
      if (!insert_client (self, g_ptr_array_index (clients, i), w->now, "import", error))
        return FALSE;
    }

  return TRUE;
}

gboolean
derm_store_add_clients (DermStore   *self,
                        GPtrArray   *clients,
                        GError     **error)
{
  g_autofree char *now = NULL;
  RecordWrite w = { clients, NULL, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (clients != NULL, FALSE);

  for (guint i = 0; i < clients->len; i++)
    {
      g_autoptr (GError) local_error = NULL;

      if (!derm_validate_client (g_ptr_array_index (clients, i), NULL, &local_error))
        {
          /* Translators: "Client 3 of 40: Email: “ann@” is not an email address." */
          g_set_error (error, local_error->domain, local_error->code, _("Client %u of %u: %s"),
                       i + 1, clients->len, local_error->message);
          return FALSE;
        }
    }

  w.now = now = derm_store_now_iso ();
  if (!derm_store_write (self, add_clients_write, &w, error))
    {
      for (guint i = 0; i < clients->len; i++)
        derm_client_set_id (g_ptr_array_index (clients, i), 0);
      return FALSE;
    }

  for (guint i = 0; i < clients->len; i++)
    {
      derm_client_set_created_at (g_ptr_array_index (clients, i), now);
      derm_client_set_updated_at (g_ptr_array_index (clients, i), now);
    }
  return TRUE;
}

static char *
client_changed_fields (DermClient *before,
                       DermClient *after)
{
  g_autoptr (GString) fields = g_string_new (NULL);

#define CHANGED_STR(getter, key) \
  if (g_strcmp0 (getter (before), getter (after)) != 0) \
    g_string_append (fields, fields->len ? "," key : key);
#define CHANGED_VAL(getter, key) \
  if (getter (before) != getter (after)) \
    g_string_append (fields, fields->len ? "," key : key);

  CHANGED_STR (derm_client_get_name, "name");
  CHANGED_STR (derm_client_get_date_of_birth, "date_of_birth");
  CHANGED_STR (derm_client_get_phone, "phone");
  CHANGED_STR (derm_client_get_email, "email");
  CHANGED_VAL (derm_client_get_fitzpatrick, "fitzpatrick");
  CHANGED_VAL (derm_client_get_concerns, "concerns");
  CHANGED_STR (derm_client_get_goals, "goals");
  CHANGED_STR (derm_client_get_notes, "notes");
  CHANGED_VAL (derm_client_get_archived, "archived");

#undef CHANGED_STR
#undef CHANGED_VAL

  return g_string_free (g_steal_pointer (&fields), FALSE);
}

static gboolean
update_client_write (DermStore  *self,
                     gpointer    data,
                     GError    **error)
{
  RecordWrite *w = data;
  g_autoptr (DermClient) before = NULL;
  g_autofree char *fields = NULL;
  sqlite3_stmt *stmt;

  if (!(before = get_client_locked (self, w->id, error)))
    return FALSE;

  fields = client_changed_fields (before, w->object);
  if (*fields == '\0')
    {
      w->now = NULL;
      return TRUE;
    }

  stmt = derm_store_prepare (self,
                  "UPDATE clients SET name = ?1, date_of_birth = ?2, phone = ?3, email = ?4, "
                  "fitzpatrick = ?5, concerns = ?6, goals = ?7, notes = ?8, archived = ?9, "
                  "updated_at = ?10 WHERE id = ?11", error);
  if (stmt == NULL)
    return FALSE;
  bind_client (stmt, w->object);
  derm_sql_bind_text (stmt, 10, w->now);
  sqlite3_bind_int64 (stmt, 11, w->id);
  return derm_store_step_done (self, stmt, error) &&
         derm_store_audit (self, "update", "client", w->id, fields, error);
}

gboolean
derm_store_update_client (DermStore   *self,
                          DermClient  *client,
                          GError     **error)
{
  g_autofree char *now = NULL;
  RecordWrite w = { client, NULL, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_CLIENT (client), FALSE);

  if (!derm_validate_client (client, NULL, error))
    return FALSE;

  w.id = derm_client_get_id (client);
  w.now = now = derm_store_now_iso ();
  if (!derm_store_write (self, update_client_write, &w, error))
    return FALSE;

  /* w.now is cleared when nothing changed */
  if (w.now != NULL)
    derm_client_set_updated_at (client, now);
  return TRUE;
}

DermClient *
derm_store_get_client (DermStore   *self,
                       gint64       id,
                       GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GHashTable) reasons = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  client = get_client_locked (self, id, error);
  if (client == NULL)
    return NULL;

  /* The same Do Not Treat as the list's, so a row replaced by this
   * client keeps telling the truth */
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (ids, id);
  if ((reasons = derm_store_do_not_treat_locked (self, ids, error)) == NULL)
    return NULL;
  derm_client_set_do_not_treat (client, g_hash_table_lookup (reasons, &id));
  return g_steal_pointer (&client);
}

static gboolean fill_do_not_treat_locked (DermStore  *self,
                                          GPtrArray  *clients,
                                          GError    **error);

GPtrArray *
derm_store_list_clients (DermStore   *self,
                         gboolean     include_archived,
                         GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);

  /* One read transaction, so the list is a consistent snapshot */
  if (!derm_store_exec (self, "BEGIN", error))
    return NULL;

  stmt = derm_store_prepare (self,
                  "SELECT " CLIENT_COLUMNS " FROM clients c "
                  "WHERE ?1 OR c.archived = 0 ORDER BY c.name COLLATE NOCASE, c.id", error);
  if (stmt == NULL)
    {
      derm_store_rollback (self);
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, include_archived ? 1 : 0);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (clients, client_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      derm_store_rollback (self);
      return NULL;
    }
  if (!fill_do_not_treat_locked (self, clients, error))
    {
      derm_store_rollback (self);
      return NULL;
    }
  derm_store_rollback (self);

  return g_steal_pointer (&clients);
}

static const char *
text_or_null (sqlite3_stmt *stmt,
              int           index)
{
  const char *text = derm_sql_column_text (stmt, index);

  return text != NULL && *text != '\0' ? text : NULL;
}

gboolean
derm_store_foreach_client (DermStore          *self,
                           gboolean            include_archived,
                           DermClientRowFunc   func,
                           gpointer            user_data,
                           GError            **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GHashTable) reasons = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  /* One read transaction, so the list is a consistent snapshot */
  if (!derm_store_exec (self, "BEGIN", error))
    return FALSE;
  reasons = derm_store_do_not_treat_locked (self, NULL, error);
  stmt = reasons != NULL ? derm_store_prepare (self,
                                               "SELECT c.id, c.name, c.phone, c.email, c.archived, "
                                               "(SELECT max(t.date) FROM treatments t WHERE t.client_id = c.id) "
                                               "FROM clients c WHERE ?1 OR c.archived = 0 "
                                               "ORDER BY c.name COLLATE NOCASE, c.id", error)
                         : NULL;
  if (stmt == NULL)
    {
      derm_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int (stmt, 1, include_archived ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DermClientListRow row;

      row.id = sqlite3_column_int64 (stmt, 0);
      row.name = text_or_null (stmt, 1);
      row.phone = text_or_null (stmt, 2);
      row.email = text_or_null (stmt, 3);
      row.archived = sqlite3_column_int (stmt, 4) != 0;
      row.last_visit = text_or_null (stmt, 5);
      row.do_not_treat = g_hash_table_lookup (reasons, &row.id);
      if (row.do_not_treat != NULL && *row.do_not_treat == '\0')
        row.do_not_treat = NULL;
      func (&row, user_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    derm_store_set_sqlite_error (self, rc, error);
  derm_store_rollback (self);
  return rc == SQLITE_DONE;
}

typedef struct
{
  gint64      id;
  gboolean    archived;
  const char *now;
} ArchiveWrite;

static gboolean
set_client_archived_write (DermStore  *self,
                           gpointer    data,
                           GError    **error)
{
  ArchiveWrite *w = data;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, "UPDATE clients SET archived = ?1, updated_at = ?2 WHERE id = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, w->archived ? 1 : 0);
  derm_sql_bind_text (stmt, 2, w->now);
  sqlite3_bind_int64 (stmt, 3, w->id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, _("client"), w->id);
  return derm_store_audit (self, w->archived ? "archive" : "unarchive", "client", w->id, "archived", error);
}

gboolean
derm_store_set_client_archived (DermStore   *self,
                                gint64       id,
                                gboolean     archived,
                                GError     **error)
{
  g_autofree char *now = derm_store_now_iso ();
  ArchiveWrite w = { id, archived, now };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);

  return derm_store_write (self, set_client_archived_write, &w, error);
}

typedef struct
{
  const char *sql;
  const char *entity;
  const char *what;
  gint64      id;
} DeleteWrite;

static gboolean
delete_row_write (DermStore  *self,
                  gpointer    data,
                  GError    **error)
{
  DeleteWrite *w = data;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, w->sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, w->id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return derm_store_not_found (error, w->what, w->id);
  return derm_store_audit (self, "delete", w->entity, w->id, NULL, error);
}

static gboolean
delete_row (DermStore   *self,
            const char  *sql,
            const char  *entity,
            const char  *what,
            gint64       id,
            GError     **error)
{
  DeleteWrite w = { sql, entity, what, id };

  return derm_store_write (self, delete_row_write, &w, error);
}

gboolean
derm_store_delete_client (DermStore   *self,
                          gint64       id,
                          GError     **error)
{
  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  return delete_row (self, "DELETE FROM clients WHERE id = ?1", "client", _("client"), id, error);
}

/* --- screenings -------------------------------------------------------- */

static gboolean
add_screening_write (DermStore  *self,
                     gpointer    data,
                     GError    **error)
{
  RecordWrite *w = data;
  DermScreening *screening = w->object;
  sqlite3_stmt *stmt;

  if (!derm_store_client_exists_locked (self, derm_screening_get_client_id (screening), error))
    return FALSE;

  stmt = derm_store_prepare (self, "INSERT INTO screenings (client_id, date, created_at) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, derm_screening_get_client_id (screening));
  derm_sql_bind_text (stmt, 2, derm_screening_get_date (screening));
  derm_sql_bind_text (stmt, 3, w->now);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  w->id = sqlite3_last_insert_rowid (self->db);

  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      stmt = derm_store_prepare (self,
                      "INSERT INTO screening_answers (screening_id, question, answer, details, date) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, w->id);
      derm_sql_bind_text (stmt, 2, derm_question_to_key (q));
      derm_sql_bind_text (stmt, 3, derm_answer_to_key (derm_screening_get_answer (screening, q)));
      derm_sql_bind_text (stmt, 4, derm_screening_get_details (screening, q));
      derm_sql_bind_text (stmt, 5, derm_screening_get_date_for (screening, q));
      if (!derm_store_step_done (self, stmt, error))
        return FALSE;
    }

  return derm_store_audit (self, "create", "screening", w->id, NULL, error);
}

gboolean
derm_store_add_screening (DermStore      *self,
                          DermScreening  *screening,
                          GError        **error)
{
  g_autofree char *now = NULL;
  RecordWrite w = { screening, NULL, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_SCREENING (screening), FALSE);

  if (!derm_validate_screening (screening, NULL, error))
    return FALSE;

  w.now = now = derm_store_now_iso ();
  if (!derm_store_write (self, add_screening_write, &w, error))
    return FALSE;

  derm_screening_set_id (screening, w.id);
  derm_screening_set_created_at (screening, now);
  return TRUE;
}

static gboolean
load_answers_locked (DermStore      *self,
                     DermScreening  *screening,
                     GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = derm_store_prepare (self,
                  "SELECT question, answer, details, date, consent_form_id FROM screening_answers "
                  "WHERE screening_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, derm_screening_get_id (screening));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DermQuestion q;
      DermAnswer answer = DERM_ANSWER_UNKNOWN;

      /* A question from a newer Dermis: skip it rather than fail */
      if (!derm_question_from_key (derm_sql_column_text (stmt, 0), &q))
        continue;
      derm_answer_from_key (derm_sql_column_text (stmt, 1), &answer);
      derm_screening_set_answer (screening, q, answer);
      derm_screening_set_details (screening, q, derm_sql_column_text (stmt, 2));
      derm_screening_set_date_for (screening, q, derm_sql_column_text (stmt, 3));
      if (q == DERM_QUESTION_CONSENT)
        derm_screening_set_consent_form_id (screening, sqlite3_column_int64 (stmt, 4));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
list_screenings_locked (DermStore   *self,
                        gint64       client_id,
                        int          limit,
                        GError     **error)
{
  g_autoptr (GPtrArray) screenings = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  if (!derm_store_client_exists_locked (self, client_id, error))
    return NULL;

  stmt = derm_store_prepare (self,
                  "SELECT id, client_id, date, created_at FROM screenings WHERE client_id = ?1 "
                  "ORDER BY date DESC, id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DermScreening *screening = derm_screening_new ();

      derm_screening_set_id (screening, sqlite3_column_int64 (stmt, 0));
      derm_screening_set_client_id (screening, sqlite3_column_int64 (stmt, 1));
      derm_screening_set_date (screening, derm_sql_column_text (stmt, 2));
      derm_screening_set_created_at (screening, derm_sql_column_text (stmt, 3));
      g_ptr_array_add (screenings, screening);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }

  for (guint i = 0; i < screenings->len; i++)
    if (!load_answers_locked (self, g_ptr_array_index (screenings, i), error))
      return NULL;

  /* What the consent finding of the latest screening needs from the
   * consent forms (derm-store-consent.h) */
  if (screenings->len > 0)
    {
      g_autofree char *problem = derm_store_consent_problem_locked (self, client_id, error);

      if (problem == NULL)
        return NULL;
      derm_screening_set_consent_problem (g_ptr_array_index (screenings, 0), problem);
    }

  return g_steal_pointer (&screenings);
}

DermScreening *
derm_store_latest_screening_locked (DermStore  *self,
                                    gint64      client_id,
                                    GError    **error)
{
  g_autoptr (GPtrArray) screenings = list_screenings_locked (self, client_id, 1, error);

  if (screenings == NULL || screenings->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (screenings, 0));
}

gboolean
derm_store_insert_screening_locked (DermStore      *self,
                                    DermScreening  *screening,
                                    const char     *now,
                                    gint64         *id,
                                    GError        **error)
{
  RecordWrite w = { screening, now, 0 };

  if (!add_screening_write (self, &w, error))
    return FALSE;
  *id = w.id;
  return TRUE;
}

DermClient *
derm_store_get_client_locked (DermStore  *self,
                              gint64      id,
                              GError    **error)
{
  return get_client_locked (self, id, error);
}

gboolean
derm_store_update_client_locked (DermStore   *self,
                                 DermClient  *client,
                                 const char  *now,
                                 GError     **error)
{
  RecordWrite w = { client, now, derm_client_get_id (client) };

  return update_client_write (self, &w, error);
}

/* Client id -> the reason of the first contraindication of its latest
 * screening, today. One query for every listed client that reads only the
 * "yes" answers to the questions that can contraindicate (so a clinic of
 * thousands of clients, nearly none of them ruled out, costs one index
 * walk), then derm_screening_do_not_treat() on those few answers: the
 * same rules, and the same text, as the client page's findings. */
/* Today by the store's clock (tests and simulations) or the real one */
static void
store_today (DermStore *self,
             GDate     *today)
{
  if (self->clock != NULL)
    {
      g_date_clear (today, 1);
      g_date_set_dmy (today, g_date_time_get_day_of_month (self->clock),
                      g_date_time_get_month (self->clock), g_date_time_get_year (self->clock));
    }
  else
    derm_date_today (today);
}

GDateTime *
derm_store_dup_now (DermStore *self)
{
  GDateTime *now;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  g_mutex_lock (&self->mutex);
  now = self->clock != NULL ? g_date_time_ref (self->clock) : g_date_time_new_now_local ();
  g_mutex_unlock (&self->mutex);
  return now;
}

GHashTable *
derm_store_do_not_treat_locked (DermStore   *self,
                                GArray      *client_ids,
                                GError     **error)
{
  g_autoptr (GHashTable) reasons = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr (GString) ids = NULL;
  g_autoptr (GString) questions = g_string_new ("[");
  g_autoptr (DermScreening) current = NULL;
  const DermQuestion *contra;
  guint n_contra;
  sqlite3_stmt *stmt;
  GDate today;
  int rc;

  if (client_ids != NULL)
    {
      if (client_ids->len == 0)
        return g_steal_pointer (&reasons);
      ids = g_string_new ("[");
      for (guint i = 0; i < client_ids->len; i++)
        g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                                g_array_index (client_ids, gint64, i));
      g_string_append_c (ids, ']');
    }
  contra = derm_screening_contraindication_questions (&n_contra);
  for (guint i = 0; i < n_contra; i++)
    g_string_append_printf (questions, "%s\"%s\"", i > 0 ? "," : "", derm_question_to_key (contra[i]));
  g_string_append_c (questions, ']');

  stmt = derm_store_prepare (self,
                  "SELECT s.id, s.client_id, s.date, a.question, a.details, a.date "
                  "FROM screenings s JOIN screening_answers a ON a.screening_id = s.id "
                  "WHERE a.answer = 'yes' AND a.question IN (SELECT value FROM json_each (?2)) "
                  "AND s.id = (SELECT s2.id FROM screenings s2 WHERE s2.client_id = s.client_id "
                  "            ORDER BY s2.date DESC, s2.id DESC LIMIT 1) "
                  "AND (?1 IS NULL OR s.client_id IN (SELECT value FROM json_each (?1))) "
                  "ORDER BY s.id", error);
  if (stmt == NULL)
    return NULL;
  derm_sql_bind_text (stmt, 1, ids != NULL ? ids->str : NULL);
  derm_sql_bind_text (stmt, 2, questions->str);
  store_today (self, &today);

  /* Rows come grouped by screening: decide each one when the next begins */
  for (;;)
    {
      DermQuestion q;

      rc = sqlite3_step (stmt);
      if (current != NULL &&
          (rc != SQLITE_ROW || derm_screening_get_id (current) != sqlite3_column_int64 (stmt, 0)))
        {
          char *reason = derm_screening_do_not_treat (current, &today);
          gint64 client_id = derm_screening_get_client_id (current);

          if (reason != NULL)
            g_hash_table_replace (reasons, g_memdup2 (&client_id, sizeof client_id), reason);
          g_clear_object (&current);
        }
      if (rc != SQLITE_ROW)
        break;
      if (current == NULL)
        {
          current = derm_screening_new ();
          derm_screening_set_id (current, sqlite3_column_int64 (stmt, 0));
          derm_screening_set_client_id (current, sqlite3_column_int64 (stmt, 1));
          derm_screening_set_date (current, derm_sql_column_text (stmt, 2));
        }
      if (!derm_question_from_key (derm_sql_column_text (stmt, 3), &q))
        continue;
      derm_screening_set_answer (current, q, DERM_ANSWER_YES);
      derm_screening_set_details (current, q, derm_sql_column_text (stmt, 4));
      derm_screening_set_date_for (current, q, derm_sql_column_text (stmt, 5));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&reasons);
}

static gboolean
fill_do_not_treat_locked (DermStore  *self,
                          GPtrArray  *clients,
                          GError    **error)
{
  g_autoptr (GHashTable) reasons = derm_store_do_not_treat_locked (self, NULL, error);

  if (reasons == NULL)
    return FALSE;
  for (guint i = 0; i < clients->len; i++)
    {
      DermClient *client = g_ptr_array_index (clients, i);
      gint64 id = derm_client_get_id (client);

      derm_client_set_do_not_treat (client, g_hash_table_lookup (reasons, &id));
    }
  return TRUE;
}

GPtrArray *
derm_store_findings_locked (DermStore  *self,
                            gint64      client_id,
                            GError    **error)
{
  g_autoptr (GPtrArray) screenings = list_screenings_locked (self, client_id, 1, error);
  GDate today;

  if (screenings == NULL)
    return NULL;
  store_today (self, &today);
  return derm_screening_evaluate (screenings->len > 0 ? g_ptr_array_index (screenings, 0) : NULL, &today);
}

static GPtrArray *
read_transaction (DermStore   *self,
                  GPtrArray *(*func) (DermStore *, gint64, int, GError **),
                  gint64       id,
                  int          limit,
                  GError     **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  GPtrArray *result;

  if (!derm_store_exec (self, "BEGIN", error))
    return NULL;
  result = func (self, id, limit, error);
  derm_store_rollback (self);
  return result;
}

DermScreening *
derm_store_get_latest_screening (DermStore   *self,
                                 gint64       client_id,
                                 GError     **error)
{
  g_autoptr (GPtrArray) screenings = NULL;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  screenings = read_transaction (self, list_screenings_locked, client_id, 1, error);
  if (screenings == NULL || screenings->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (screenings, 0));
}

GPtrArray *
derm_store_list_screenings (DermStore   *self,
                            gint64       client_id,
                            GError     **error)
{
  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  return read_transaction (self, list_screenings_locked, client_id, -1, error);
}

/* --- treatment sessions ------------------------------------------------ */

#define TREATMENT_COLUMNS \
  "id, client_id, date, practitioner, areas, device, cartridge_lot, passes, topical, " \
  "anaesthetic, immediate_response, aftercare_given, notes, created_at, updated_at, " \
  "override_reason, cautions_acknowledged"

static DermTreatment *
treatment_from_row (sqlite3_stmt *stmt)
{
  DermTreatment *t = derm_treatment_new ();

  derm_treatment_set_id (t, sqlite3_column_int64 (stmt, 0));
  derm_treatment_set_client_id (t, sqlite3_column_int64 (stmt, 1));
  derm_treatment_set_date (t, derm_sql_column_text (stmt, 2));
  derm_treatment_set_practitioner (t, derm_sql_column_text (stmt, 3));
  derm_treatment_set_areas (t, derm_sql_column_text (stmt, 4));
  derm_treatment_set_device (t, derm_sql_column_text (stmt, 5));
  derm_treatment_set_cartridge_lot (t, derm_sql_column_text (stmt, 6));
  derm_treatment_set_passes (t, (guint) sqlite3_column_int (stmt, 7));
  derm_treatment_set_topical (t, derm_sql_column_text (stmt, 8));
  derm_treatment_set_anaesthetic (t, derm_sql_column_text (stmt, 9));
  derm_treatment_set_immediate_response (t, derm_sql_column_text (stmt, 10));
  derm_treatment_set_aftercare_given (t, sqlite3_column_int (stmt, 11) != 0);
  derm_treatment_set_notes (t, derm_sql_column_text (stmt, 12));
  derm_treatment_set_created_at (t, derm_sql_column_text (stmt, 13));
  derm_treatment_set_updated_at (t, derm_sql_column_text (stmt, 14));
  derm_treatment_set_override_reason (t, derm_sql_column_text (stmt, 15));
  derm_treatment_set_cautions_acknowledged (t, derm_sql_column_text (stmt, 16));
  return t;
}

static void
bind_treatment (sqlite3_stmt  *stmt,
                DermTreatment *t)
{
  derm_sql_bind_text (stmt, 1, derm_treatment_get_date (t));
  derm_sql_bind_text (stmt, 2, derm_treatment_get_practitioner (t));
  derm_sql_bind_text (stmt, 3, derm_treatment_get_areas (t));
  derm_sql_bind_text (stmt, 4, derm_treatment_get_device (t));
  derm_sql_bind_text (stmt, 5, derm_treatment_get_cartridge_lot (t));
  sqlite3_bind_int (stmt, 6, (int) derm_treatment_get_passes (t));
  derm_sql_bind_text (stmt, 7, derm_treatment_get_topical (t));
  derm_sql_bind_text (stmt, 8, derm_treatment_get_anaesthetic (t));
  derm_sql_bind_text (stmt, 9, derm_treatment_get_immediate_response (t));
  sqlite3_bind_int (stmt, 10, derm_treatment_get_aftercare_given (t) ? 1 : 0);
  derm_sql_bind_text (stmt, 11, derm_treatment_get_notes (t));
  derm_sql_bind_text (stmt, 14, derm_treatment_get_override_reason (t));
  derm_sql_bind_text (stmt, 15, derm_treatment_get_cautions_acknowledged (t));
}

static gboolean
write_depths_locked (DermStore      *self,
                     DermTreatment  *t,
                     gint64          id,
                     GError        **error)
{
  sqlite3_stmt *stmt;
  guint n = derm_treatment_get_n_depths (t);

  stmt = derm_store_prepare (self, "DELETE FROM treatment_depths WHERE treatment_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      stmt = derm_store_prepare (self,
                      "INSERT INTO treatment_depths (treatment_id, position, zone, depth_mm) "
                      "VALUES (?1, ?2, ?3, ?4)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, (int) i);
      derm_sql_bind_text (stmt, 3, derm_treatment_get_depth_zone (t, i));
      sqlite3_bind_double (stmt, 4, derm_treatment_get_depth_mm (t, i));
      if (!derm_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_depths_locked (DermStore      *self,
                    DermTreatment  *t,
                    GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = derm_store_prepare (self,
                  "SELECT zone, depth_mm FROM treatment_depths WHERE treatment_id = ?1 "
                  "ORDER BY position", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, derm_treatment_get_id (t));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    derm_treatment_set_depth (t, derm_sql_column_text (stmt, 0), sqlite3_column_double (stmt, 1));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_treatment_write (DermStore  *self,
                     gpointer    data,
                     GError    **error)
{
  RecordWrite *w = data;
  DermTreatment *treatment = w->object;
  g_autofree char *overridden = NULL;
  sqlite3_stmt *stmt;

  if (!derm_store_client_exists_locked (self, derm_treatment_get_client_id (treatment), error))
    return FALSE;

  /* The findings on the session's date, from the screening committed now */
  {
    g_autoptr (GPtrArray) screenings = NULL;
    g_autoptr (GPtrArray) findings = NULL;
    GDate day;

    if ((screenings = list_screenings_locked (self, derm_treatment_get_client_id (treatment), 1, error)) == NULL)
      return FALSE;
    derm_date_parse (derm_treatment_get_date (treatment), &day);
    findings = derm_screening_evaluate (screenings->len > 0 ? g_ptr_array_index (screenings, 0) : NULL, &day);
    if (!derm_findings_allow_treatment (findings, treatment, &overridden, error))
      return FALSE;
    /* A reason with nothing to override is not an override */
    if (overridden == NULL)
      derm_treatment_set_override_reason (treatment, NULL);
  }

  stmt = derm_store_prepare (self,
                  "INSERT INTO treatments (date, practitioner, areas, device, cartridge_lot, passes, "
                  "topical, anaesthetic, immediate_response, aftercare_given, notes, client_id, "
                  "created_at, updated_at, override_reason, cautions_acknowledged) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15)", error);
  if (stmt == NULL)
    return FALSE;
  bind_treatment (stmt, treatment);
  sqlite3_bind_int64 (stmt, 12, derm_treatment_get_client_id (treatment));
  derm_sql_bind_text (stmt, 13, w->now);
  if (!derm_store_step_done (self, stmt, error))
    return FALSE;
  w->id = sqlite3_last_insert_rowid (self->db);

  if (!write_depths_locked (self, treatment, w->id, error) ||
      !derm_store_audit (self, "create", "treatment", w->id, NULL, error))
    return FALSE;
  if (overridden != NULL)
    {
      g_autofree char *what =
        g_strdup_printf ("contraindication=%s; reason=%s", overridden,
                         derm_treatment_get_override_reason (treatment));

      if (!derm_store_audit (self, "override", "treatment", w->id, what, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
derm_store_add_treatment (DermStore      *self,
                          DermTreatment  *treatment,
                          GError        **error)
{
  g_autofree char *now = NULL;
  RecordWrite w = { treatment, NULL, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_TREATMENT (treatment), FALSE);

  if (!derm_validate_treatment (treatment, NULL, error))
    return FALSE;

  w.now = now = derm_store_now_iso ();
  if (!derm_store_write (self, add_treatment_write, &w, error))
    return FALSE;

  derm_treatment_set_id (treatment, w.id);
  derm_treatment_set_created_at (treatment, now);
  derm_treatment_set_updated_at (treatment, now);
  return TRUE;
}

static DermTreatment *
get_treatment_locked (DermStore   *self,
                      gint64       id,
                      GError     **error)
{
  g_autoptr (DermTreatment) t = NULL;
  sqlite3_stmt *stmt;

  stmt = derm_store_prepare (self, "SELECT " TREATMENT_COLUMNS " FROM treatments WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  t = derm_store_fetch_row (self, stmt, (DermStoreRowFunc) treatment_from_row, _("treatment session"), id, error);
  if (t == NULL || !load_depths_locked (self, t, error))
    return NULL;
  return g_steal_pointer (&t);
}

static char *
treatment_changed_fields (DermTreatment *before,
                          DermTreatment *after)
{
  g_autoptr (GString) fields = g_string_new (NULL);
  g_autofree char *depths_before = derm_treatment_format_depths (before);
  g_autofree char *depths_after = derm_treatment_format_depths (after);

#define CHANGED_STR(getter, key) \
  if (g_strcmp0 (getter (before), getter (after)) != 0) \
    g_string_append (fields, fields->len ? "," key : key);
#define CHANGED_VAL(getter, key) \
  if (getter (before) != getter (after)) \
    g_string_append (fields, fields->len ? "," key : key);

  CHANGED_STR (derm_treatment_get_date, "date");
  CHANGED_STR (derm_treatment_get_practitioner, "practitioner");
  CHANGED_STR (derm_treatment_get_areas, "areas");
  CHANGED_STR (derm_treatment_get_device, "device");
  CHANGED_STR (derm_treatment_get_cartridge_lot, "cartridge_lot");
  CHANGED_VAL (derm_treatment_get_passes, "passes");
  CHANGED_STR (derm_treatment_get_topical, "topical");
  CHANGED_STR (derm_treatment_get_anaesthetic, "anaesthetic");
  CHANGED_STR (derm_treatment_get_immediate_response, "immediate_response");
  CHANGED_VAL (derm_treatment_get_aftercare_given, "aftercare_given");
  CHANGED_STR (derm_treatment_get_notes, "notes");
  if (g_strcmp0 (depths_before, depths_after) != 0)
    g_string_append (fields, fields->len ? ",depths" : "depths");

#undef CHANGED_STR
#undef CHANGED_VAL

  return g_string_free (g_steal_pointer (&fields), FALSE);
}

static gboolean
update_treatment_write (DermStore  *self,
                        gpointer    data,
                        GError    **error)
{
  RecordWrite *w = data;
  DermTreatment *treatment = w->object;
  g_autoptr (DermTreatment) before = NULL;
  g_autofree char *fields = NULL;
  sqlite3_stmt *stmt;

  if (!(before = get_treatment_locked (self, w->id, error)))
    return FALSE;

  fields = treatment_changed_fields (before, treatment);
  if (*fields == '\0')
    {
      w->now = NULL;
      return TRUE;
    }

  stmt = derm_store_prepare (self,
                  "UPDATE treatments SET date = ?1, practitioner = ?2, areas = ?3, device = ?4, "
                  "cartridge_lot = ?5, passes = ?6, topical = ?7, anaesthetic = ?8, "
                  "immediate_response = ?9, aftercare_given = ?10, notes = ?11, updated_at = ?12, "
                  "override_reason = ?14, cautions_acknowledged = ?15 WHERE id = ?13", error);
  if (stmt == NULL)
    return FALSE;
  bind_treatment (stmt, treatment);
  derm_sql_bind_text (stmt, 12, w->now);
  sqlite3_bind_int64 (stmt, 13, w->id);
  return derm_store_step_done (self, stmt, error) &&
         write_depths_locked (self, treatment, w->id, error) &&
         derm_store_audit (self, "update", "treatment", w->id, fields, error);
}

gboolean
derm_store_update_treatment (DermStore      *self,
                             DermTreatment  *treatment,
                             GError        **error)
{
  g_autofree char *now = NULL;
  RecordWrite w = { treatment, NULL, 0 };

  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  g_return_val_if_fail (DERM_IS_TREATMENT (treatment), FALSE);

  if (!derm_validate_treatment (treatment, NULL, error))
    return FALSE;

  w.id = derm_treatment_get_id (treatment);
  w.now = now = derm_store_now_iso ();
  if (!derm_store_write (self, update_treatment_write, &w, error))
    return FALSE;

  /* w.now is cleared when nothing changed */
  if (w.now != NULL)
    derm_treatment_set_updated_at (treatment, now);
  return TRUE;
}

DermTreatment *
derm_store_get_treatment (DermStore   *self,
                          gint64       id,
                          GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  DermTreatment *t;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!derm_store_exec (self, "BEGIN", error))
    return NULL;
  t = get_treatment_locked (self, id, error);
  derm_store_rollback (self);
  return t;
}

gboolean
derm_store_delete_treatment (DermStore   *self,
                             gint64       id,
                             GError     **error)
{
  g_return_val_if_fail (DERM_IS_STORE (self), FALSE);
  return delete_row (self, "DELETE FROM treatments WHERE id = ?1", "treatment",
                     _("treatment session"), id, error);
}

static GPtrArray *
list_treatments_locked (DermStore   *self,
                        gint64       client_id,
                        int          limit,
                        GError     **error)
{
  g_autoptr (GPtrArray) list = NULL;
  sqlite3_stmt *stmt;

  if (!derm_store_client_exists_locked (self, client_id, error))
    return NULL;

  stmt = derm_store_prepare (self,
                  "SELECT " TREATMENT_COLUMNS " FROM treatments WHERE client_id = ?1 "
                  "ORDER BY date DESC, id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int (stmt, 2, limit);
  list = derm_store_collect_rows (self, stmt, (DermStoreRowFunc) treatment_from_row, error);
  if (list == NULL)
    return NULL;

  for (guint i = 0; i < list->len; i++)
    if (!load_depths_locked (self, g_ptr_array_index (list, i), error))
      return NULL;

  return g_steal_pointer (&list);
}

GPtrArray *
derm_store_list_treatments (DermStore   *self,
                            gint64       client_id,
                            GError     **error)
{
  g_return_val_if_fail (DERM_IS_STORE (self), NULL);
  return read_transaction (self, list_treatments_locked, client_id, -1, error);
}

/* --- audit ------------------------------------------------------------- */

GPtrArray *
derm_store_list_audit (DermStore   *self,
                       guint        limit,
                       GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DERM_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  stmt = derm_store_prepare (self,
                  "SELECT at, os_user, action, entity, entity_id, fields FROM audit_log "
                  "ORDER BY id DESC LIMIT ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit == 0 ? -1 : (gint64) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries,
                     g_variant_ref_sink (g_variant_new ("(xsssxs)",
                                                        (gint64) sqlite3_column_int64 (stmt, 0),
                                                        derm_sql_column_text (stmt, 1),
                                                        derm_sql_column_text (stmt, 2),
                                                        derm_sql_column_text (stmt, 3),
                                                        (gint64) sqlite3_column_int64 (stmt, 4),
                                                        derm_sql_column_text (stmt, 5))));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      derm_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

void
derm_store_set_clock (DermStore *self,
                      GDateTime *now)
{
  g_return_if_fail (DERM_IS_STORE (self));

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->clock, g_date_time_unref);
  if (now != NULL)
    self->clock = g_date_time_ref (now);
  g_mutex_unlock (&self->mutex);
}
