/* derm-planner.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Days are calendar days in the clinic's zone (GDate), times of day are
 * wall-clock minutes, and overlaps are decided on UTC instants, so a
 * series at 10:00 stays at 10:00 across a daylight-saving change and two
 * appointments either side of it are still compared correctly.
 *
 * The index keeps, per room and per practitioner, the occupied intervals
 * sorted by start with a running maximum of their ends: "is [s, e) free"
 * is a binary search for the last interval starting before e, then a
 * walk back that stops as soon as the running maximum end is <= s. With
 * no overlaps inside one track that walk is a step or two.
 */

#define G_LOG_DOMAIN "derm-planner"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-finding.h"
#include "derm-planner.h"
#include "derm-treatment.h"
#include "derm-validate.h"

/* Follow-up photos are short */
#define FOLLOW_UP_MINUTES 15

G_DEFINE_QUARK (derm-planner-error-quark, derm_planner_error)

typedef struct
{
  gint64 start;
  gint64 end;
  gint64 id;
} Interval;

typedef struct
{
  GArray   *intervals;   /* Interval, sorted by start when !dirty */
  GArray   *max_end;     /* gint64: max end of intervals[0..i] */
  gboolean  dirty;
} Track;

typedef struct
{
  gint64  start;
  gint64  end;
  char   *room;
  char   *practitioner;
  gint64  client_id;    /* 0 when unknown */
  gint64  series_id;    /* 0 for a single appointment */
  guint   min_days;     /* its series' minimum interval, 0 for none */
  gboolean session;     /* a treatment session (not a follow-up photo) */
} Entry;

struct _DermPlanner
{
  GObject      parent_instance;

  DermClinic  *clinic;
  GHashTable  *rooms;          /* name -> Track */
  GHashTable  *practitioners;  /* name -> Track */
  GHashTable  *entries;        /* gint64 id -> Entry */
  GHashTable  *by_client;      /* gint64 client id -> GArray of gint64 entry ids */
  gint64       next_anonymous; /* ids for unsaved appointments: -1, -2, ... */
  GDateTime   *now;            /* NULL: the real clock */
};

G_DEFINE_FINAL_TYPE (DermPlanner, derm_planner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLINIC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- tracks ------------------------------------------------------------ */

static Track *
track_new (void)
{
  Track *track = g_new0 (Track, 1);

  track->intervals = g_array_new (FALSE, FALSE, sizeof (Interval));
  track->max_end = g_array_new (FALSE, FALSE, sizeof (gint64));
  return track;
}

static void
track_free (gpointer data)
{
  Track *track = data;

  g_array_unref (track->intervals);
  g_array_unref (track->max_end);
  g_free (track);
}

static int
compare_intervals (gconstpointer a,
                   gconstpointer b)
{
  const Interval *x = a;
  const Interval *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  return 0;
}

static void
track_ensure_sorted (Track *track)
{
  gint64 running = G_MININT64;

  if (!track->dirty)
    return;

  g_array_sort (track->intervals, compare_intervals);
  g_array_set_size (track->max_end, track->intervals->len);
  for (guint i = 0; i < track->intervals->len; i++)
    {
      running = MAX (running, g_array_index (track->intervals, Interval, i).end);
      g_array_index (track->max_end, gint64, i) = running;
    }
  track->dirty = FALSE;
}

static void
track_add (Track  *track,
           gint64  start,
           gint64  end,
           gint64  id)
{
  Interval interval = { start, end, id };

  g_array_append_val (track->intervals, interval);
  track->dirty = TRUE;
}

static void
track_remove (Track  *track,
              gint64  id)
{
  for (guint i = 0; i < track->intervals->len; i++)
    {
      if (g_array_index (track->intervals, Interval, i).id == id)
        {
          g_array_remove_index (track->intervals, i);
          track->dirty = TRUE;
          return;
        }
    }
}

/* TRUE when an interval of @track not in @ignore overlaps [start, end) */
static gboolean
track_busy (Track      *track,
            gint64      start,
            gint64      end,
            GHashTable *ignore)
{
  const Interval *intervals;
  const gint64 *max_end;
  guint lo = 0, hi;

  if (track == NULL)
    return FALSE;

  track_ensure_sorted (track);
  intervals = (const Interval *) (gpointer) track->intervals->data;
  max_end = (const gint64 *) (gpointer) track->max_end->data;
  hi = track->intervals->len;

  /* lo = number of intervals starting before end */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (intervals[mid].start < end)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint j = lo; j > 0; j--)
    {
      const Interval *iv = &intervals[j - 1];

      if (max_end[j - 1] <= start)
        break;
      if (iv->end > start &&
          (ignore == NULL || !g_hash_table_contains (ignore, &iv->id)))
        return TRUE;
    }
  return FALSE;
}

static Track *
lookup_track (GHashTable *tracks,
              const char *name,
              gboolean    create)
{
  Track *track;

  if (name == NULL)
    return NULL;
  track = g_hash_table_lookup (tracks, name);
  if (track == NULL && create)
    {
      track = track_new ();
      g_hash_table_insert (tracks, g_strdup (name), track);
    }
  return track;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->room);
  g_free (entry->practitioner);
  g_free (entry);
}

/* --- object ------------------------------------------------------------ */

static void
derm_planner_finalize (GObject *object)
{
  DermPlanner *self = (DermPlanner *) object;

  g_clear_object (&self->clinic);
  g_clear_pointer (&self->rooms, g_hash_table_unref);
  g_clear_pointer (&self->practitioners, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->by_client, g_hash_table_unref);
  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (derm_planner_parent_class)->finalize (object);
}

static void
derm_planner_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DermPlanner *self = DERM_PLANNER (object);

  switch (prop_id)
    {
    case PROP_CLINIC:
      g_value_set_object (value, self->clinic);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_planner_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DermPlanner *self = DERM_PLANNER (object);

  switch (prop_id)
    {
    case PROP_CLINIC:
      self->clinic = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_planner_class_init (DermPlannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = derm_planner_finalize;
  object_class->get_property = derm_planner_get_property;
  object_class->set_property = derm_planner_set_property;

  properties[PROP_CLINIC] =
    g_param_spec_object ("clinic", NULL, NULL, DERM_TYPE_CLINIC,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_planner_init (DermPlanner *self)
{
  self->rooms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, track_free);
  self->practitioners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, track_free);
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, entry_free);
  self->by_client = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_array_unref);
  self->next_anonymous = -1;
}

DermPlanner *
derm_planner_new (DermClinic *clinic)
{
  g_return_val_if_fail (DERM_IS_CLINIC (clinic), NULL);

  return g_object_new (DERM_TYPE_PLANNER, "clinic", clinic, NULL);
}

DermClinic *
derm_planner_get_clinic (DermPlanner *self)
{
  g_return_val_if_fail (DERM_IS_PLANNER (self), NULL);
  return self->clinic;
}

static void
index_add (DermPlanner              *self,
           gint64                    id,
           gint64                    start,
           gint64                    end,
           const char               *room,
           const char               *practitioner,
           const DermPlannerClientInfo *info)
{
  Entry *entry = g_new0 (Entry, 1);
  gint64 *key = g_new (gint64, 1);

  entry->start = start;
  entry->end = end;
  entry->room = g_strdup (room);
  entry->practitioner = g_strdup (practitioner);
  if (info != NULL)
    {
      entry->client_id = info->client_id;
      entry->series_id = info->series_id;
      entry->min_days = 7 * info->min_interval_weeks;
      entry->session = info->session;
    }
  *key = id;
  g_hash_table_replace (self->entries, key, entry);

  if (entry->client_id > 0)
    {
      GArray *ids = g_hash_table_lookup (self->by_client, &entry->client_id);

      if (ids == NULL)
        {
          gint64 *client_key = g_new (gint64, 1);

          *client_key = entry->client_id;
          ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (self->by_client, client_key, ids);
        }
      g_array_append_val (ids, id);
    }

  if (room != NULL)
    track_add (lookup_track (self->rooms, room, TRUE), start, end, id);
  if (practitioner != NULL)
    track_add (lookup_track (self->practitioners, practitioner, TRUE), start, end, id);
}

gboolean
derm_planner_remove_appointment (DermPlanner *self,
                                 gint64       id)
{
  Entry *entry;
  Track *track;

  g_return_val_if_fail (DERM_IS_PLANNER (self), FALSE);

  entry = g_hash_table_lookup (self->entries, &id);
  if (entry == NULL)
    return FALSE;

  if ((track = lookup_track (self->rooms, entry->room, FALSE)) != NULL)
    track_remove (track, id);
  if ((track = lookup_track (self->practitioners, entry->practitioner, FALSE)) != NULL)
    track_remove (track, id);
  if (entry->client_id > 0)
    {
      GArray *ids = g_hash_table_lookup (self->by_client, &entry->client_id);

      for (guint i = 0; ids != NULL && i < ids->len; i++)
        if (g_array_index (ids, gint64, i) == id)
          {
            g_array_remove_index_fast (ids, i);
            break;
          }
    }
  g_hash_table_remove (self->entries, &id);
  return TRUE;
}

void
derm_planner_add_appointment (DermPlanner     *self,
                              DermAppointment *appointment)
{
  gint64 id;

  g_return_if_fail (DERM_IS_PLANNER (self));
  g_return_if_fail (DERM_IS_APPOINTMENT (appointment));

  id = derm_appointment_get_id (appointment);
  if (id > 0)
    derm_planner_remove_appointment (self, id);
  if (!derm_appointment_occupies (appointment) ||
      derm_appointment_get_start_local (appointment) == NULL)
    return;
  if (id <= 0)
    id = self->next_anonymous--;

  {
    DermPlannerClientInfo info = {
      .client_id = derm_appointment_get_client_id (appointment),
      .series_id = derm_appointment_get_series_id (appointment),
      .min_interval_weeks = 0,
      .session = derm_appointment_get_kind (appointment) == DERM_APPOINTMENT_SESSION,
    };

    index_add (self, id,
               derm_appointment_get_start_unix (appointment),
               derm_appointment_get_end_unix (appointment),
               derm_appointment_get_room (appointment),
               derm_appointment_get_practitioner (appointment),
               &info);
  }
}

void
derm_planner_add_interval (DermPlanner *self,
                           gint64       id,
                           gint64       start_unix,
                           gint64       end_unix,
                           const char  *room,
                           const char  *practitioner)
{
  g_return_if_fail (DERM_IS_PLANNER (self));
  g_return_if_fail (start_unix < end_unix);

  if (id > 0)
    derm_planner_remove_appointment (self, id);
  else
    id = self->next_anonymous--;
  index_add (self, id, start_unix, end_unix, room, practitioner, NULL);
}

void
derm_planner_add_interval_full (DermPlanner                 *self,
                                gint64                       id,
                                gint64                       start_unix,
                                gint64                       end_unix,
                                const char                  *room,
                                const char                  *practitioner,
                                const DermPlannerClientInfo *info)
{
  g_return_if_fail (DERM_IS_PLANNER (self));
  g_return_if_fail (start_unix < end_unix);

  if (id > 0)
    derm_planner_remove_appointment (self, id);
  else
    id = self->next_anonymous--;
  index_add (self, id, start_unix, end_unix, room, practitioner, info);
}

void
derm_planner_set_now (DermPlanner *self,
                      GDateTime   *now)
{
  g_return_if_fail (DERM_IS_PLANNER (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  if (now != NULL)
    self->now = g_date_time_ref (now);
}

static gint64
planner_now_unix (DermPlanner *self)
{
  if (self->now != NULL)
    return g_date_time_to_unix (self->now);
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
derm_planner_add_appointments (DermPlanner *self,
                               GPtrArray   *appointments)
{
  g_return_if_fail (DERM_IS_PLANNER (self));
  g_return_if_fail (appointments != NULL);

  for (guint i = 0; i < appointments->len; i++)
    derm_planner_add_appointment (self, g_ptr_array_index (appointments, i));
}

void
derm_planner_clear (DermPlanner *self)
{
  g_return_if_fail (DERM_IS_PLANNER (self));

  g_hash_table_remove_all (self->rooms);
  g_hash_table_remove_all (self->practitioners);
  g_hash_table_remove_all (self->entries);
  g_hash_table_remove_all (self->by_client);
}

guint
derm_planner_get_n_appointments (DermPlanner *self)
{
  g_return_val_if_fail (DERM_IS_PLANNER (self), 0);
  return g_hash_table_size (self->entries);
}

static gboolean
room_busy (DermPlanner *self,
           const char  *room,
           gint64       start,
           gint64       end,
           GHashTable  *ignore)
{
  return room != NULL && track_busy (lookup_track (self->rooms, room, FALSE), start, end, ignore);
}

static gboolean
practitioner_busy (DermPlanner *self,
                   const char  *practitioner,
                   gint64       start,
                   gint64       end,
                   GHashTable  *ignore)
{
  return practitioner != NULL &&
         track_busy (lookup_track (self->practitioners, practitioner, FALSE), start, end, ignore);
}

static GHashTable *
ignore_set_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
ignore_set_add (GHashTable *set,
                gint64      id)
{
  gint64 *key;

  if (id <= 0)
    return;
  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_add (set, key);
}

gboolean
derm_planner_is_free (DermPlanner *self,
                      const char  *room,
                      const char  *practitioner,
                      gint64       start_unix,
                      gint64       end_unix,
                      gint64       ignore_id)
{
  g_autoptr (GHashTable) ignore = NULL;

  g_return_val_if_fail (DERM_IS_PLANNER (self), FALSE);

  if (ignore_id > 0)
    {
      ignore = ignore_set_new ();
      ignore_set_add (ignore, ignore_id);
    }
  return !room_busy (self, room, start_unix, end_unix, ignore) &&
         !practitioner_busy (self, practitioner, start_unix, end_unix, ignore);
}

/* --- dates ------------------------------------------------------------- */

static int
days_between (const GDate *a,
              const GDate *b)
{
  return (int) g_date_get_julian (b) - (int) g_date_get_julian (a);
}

static void
date_plus_days (GDate       *out,
                const GDate *from,
                int          days)
{
  *out = *from;
  if (days >= 0)
    g_date_add_days (out, days);
  else
    g_date_subtract_days (out, -days);
}

static char *
format_date (const GDate *date)
{
  return derm_date_format (date);
}

static void
local_date_of (GDateTime *dt,
               GDate     *out)
{
  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (dt),
                  g_date_time_get_month (dt), g_date_time_get_year (dt));
}

/* The clinic-local day of an appointment's start */
static gboolean
appointment_day (DermPlanner     *self,
                 DermAppointment *appointment,
                 GDate           *out)
{
  g_autoptr (GDateTime) start = derm_appointment_dup_start (appointment);
  g_autoptr (GDateTime) local = NULL;

  if (start == NULL)
    return FALSE;
  local = g_date_time_to_timezone (start, derm_clinic_get_time_zone (self->clinic));
  local_date_of (local, out);
  return TRUE;
}

static int
appointment_minute (DermPlanner     *self,
                    DermAppointment *appointment)
{
  g_autoptr (GDateTime) start = derm_appointment_dup_start (appointment);
  g_autoptr (GDateTime) local = NULL;

  if (start == NULL)
    return -1;
  local = g_date_time_to_timezone (start, derm_clinic_get_time_zone (self->clinic));
  return g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
}

/* --- findings ---------------------------------------------------------- */

typedef struct
{
  char     *blocked_reason;   /* contraindication without an end */
  GDate     until;            /* latest end of a contraindication (invalid when none) */
  char     *until_reason;
  gboolean  rescreen;
  gboolean  never_screened;   /* "no-screening": screen first, not re-screen */
} FindingSummary;

static void
finding_summary_clear (FindingSummary *summary)
{
  g_clear_pointer (&summary->blocked_reason, g_free);
  g_clear_pointer (&summary->until_reason, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FindingSummary, finding_summary_clear)

static void
summarise_findings (GPtrArray      *findings,
                    FindingSummary *out)
{
  g_date_clear (&out->until, 1);

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      DermFinding *finding = g_ptr_array_index (findings, i);
      const char *code = derm_finding_get_code (finding);

      if (derm_finding_get_severity (finding) == DERM_SEVERITY_CONTRAINDICATION)
        {
          GDate until;

          if (derm_finding_get_until (finding) != NULL &&
              derm_date_parse (derm_finding_get_until (finding), &until))
            {
              if (!g_date_valid (&out->until) || g_date_compare (&until, &out->until) > 0)
                {
                  out->until = until;
                  g_free (out->until_reason);
                  out->until_reason = g_strdup (derm_finding_get_reason (finding));
                }
            }
          else if (out->blocked_reason == NULL)
            out->blocked_reason = g_strdup (derm_finding_get_reason (finding));
        }
      else if (g_strcmp0 (code, "rescreen-due") == 0 || g_strcmp0 (code, "no-screening") == 0)
        {
          out->rescreen = TRUE;
          if (g_strcmp0 (code, "no-screening") == 0)
            out->never_screened = TRUE;
        }
    }
}

/* --- slot search ------------------------------------------------------- */

/* An interval taken by an earlier item of the proposal being built */
typedef struct
{
  gint64      start;
  gint64      end;
  const char *room;
  const char *practitioner;
} Taken;

typedef struct
{
  DermPlanner *self;
  guint        duration;
  const char  *fixed_room;          /* NULL: any */
  const char  *fixed_practitioner;  /* NULL: any */
  const char  *prefer_room;         /* tried first among any */
  const char  *prefer_practitioner;
  GHashTable  *ignore;              /* ids whose slots count as free */
  GArray      *taken;               /* Taken */
  gint64       not_before;          /* unix; 0 for no limit */
  gint64       client_id;           /* the client's other appointments are avoided */
  gint64       series_id;
  guint        min_days;            /* of the series, against the client's other series */
  gboolean     session;
} SlotQuery;

typedef struct
{
  GDateTime  *start;
  const char *room;           /* owned by the clinic */
  const char *practitioner;
} Slot;

static void
slot_clear (Slot *slot)
{
  g_clear_pointer (&slot->start, g_date_time_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Slot, slot_clear)

static gboolean
taken_busy (GArray     *taken,
            const char *room,
            const char *practitioner,
            gint64      start,
            gint64      end)
{
  for (guint i = 0; taken != NULL && i < taken->len; i++)
    {
      const Taken *t = &g_array_index (taken, Taken, i);

      if (t->start < end && t->end > start &&
          ((room != NULL && g_strcmp0 (room, t->room) == 0) ||
           (practitioner != NULL && g_strcmp0 (practitioner, t->practitioner) == 0)))
        return TRUE;
    }
  return FALSE;
}

/* Candidates in order: the preferred one first, then the others */
static guint
resource_candidates (const char * const *all,
                     const char         *fixed,
                     const char         *preferred,
                     const char        **out,
                     guint               max_out)
{
  guint n = 0;

  if (fixed != NULL)
    {
      out[n++] = fixed;
      return n;
    }
  if (all == NULL || all[0] == NULL)
    {
      out[n++] = NULL;
      return n;
    }
  if (preferred != NULL)
    {
      for (guint i = 0; all[i] != NULL; i++)
        if (g_str_equal (all[i], preferred))
          out[n++] = all[i];
    }
  for (guint i = 0; all[i] != NULL && n < max_out; i++)
    if (preferred == NULL || !g_str_equal (all[i], preferred))
      out[n++] = all[i];
  return n;
}

#define MAX_RESOURCES 64

static DermPlanProblems client_problems (DermPlanner *self,
                                         gint64       client_id,
                                         gint64       series_id,
                                         guint        min_days,
                                         gboolean     session,
                                         gint64       s,
                                         gint64       e,
                                         const GDate *day,
                                         GHashTable  *ignore,
                                         gint64       self_id);

static gboolean
try_start (SlotQuery   *q,
           const GDate *day,
           guint        minute,
           Slot        *out)
{
  DermClinic *clinic = q->self->clinic;
  g_autoptr (GDateTime) start = NULL;
  const char *rooms[MAX_RESOURCES];
  const char *practitioners[MAX_RESOURCES];
  guint n_rooms, n_practitioners;
  gint64 s, e;

  start = g_date_time_new (derm_clinic_get_time_zone (clinic),
                           g_date_get_year (day), g_date_get_month (day), g_date_get_day (day),
                           minute / 60, minute % 60, 0);
  /* A wall-clock time skipped by a DST change does not exist */
  if (start == NULL ||
      g_date_time_get_hour (start) * 60 + g_date_time_get_minute (start) != (int) minute)
    return FALSE;

  s = g_date_time_to_unix (start);
  e = s + (gint64) q->duration * 60;
  if (s < q->not_before)
    return FALSE;
  if (client_problems (q->self, q->client_id, q->series_id, q->min_days, q->session,
                       s, e, day, q->ignore, 0) != 0)
    return FALSE;

  n_rooms = resource_candidates (derm_clinic_get_rooms (clinic), q->fixed_room,
                                 q->prefer_room, rooms, MAX_RESOURCES);
  n_practitioners = resource_candidates (derm_clinic_get_practitioners (clinic),
                                         q->fixed_practitioner, q->prefer_practitioner,
                                         practitioners, MAX_RESOURCES);

  for (guint r = 0; r < n_rooms; r++)
    {
      if (room_busy (q->self, rooms[r], s, e, q->ignore) ||
          taken_busy (q->taken, rooms[r], NULL, s, e))
        continue;

      for (guint p = 0; p < n_practitioners; p++)
        {
          if (practitioner_busy (q->self, practitioners[p], s, e, q->ignore) ||
              taken_busy (q->taken, NULL, practitioners[p], s, e) ||
              !derm_clinic_is_practitioner_available (clinic, practitioners[p], start, q->duration))
            continue;

          out->start = g_steal_pointer (&start);
          out->room = rooms[r];
          out->practitioner = practitioners[p];
          return TRUE;
        }
    }
  return FALSE;
}

/* The preferred minute of day first when it fits, then the earliest */
static gboolean
find_slot_on_day (SlotQuery   *q,
                  const GDate *day,
                  int          preferred_minute,
                  Slot        *out)
{
  DermClinic *clinic = q->self->clinic;
  const DermOpeningSpan *spans;
  guint n_spans, step;

  if (!derm_clinic_is_open_on (clinic, day))
    return FALSE;

  spans = derm_clinic_get_hours (clinic, g_date_get_weekday (day), &n_spans);
  step = derm_clinic_get_slot_step (clinic);

  if (preferred_minute >= 0)
    {
      for (guint i = 0; i < n_spans; i++)
        if ((guint) preferred_minute >= spans[i].open &&
            (guint) preferred_minute + q->duration <= spans[i].close)
          {
            /* Only on the clinic's step: 16:07 is not a slot */
            if (((guint) preferred_minute - spans[i].open) % step != 0)
              break;
            if (try_start (q, day, preferred_minute, out))
              return TRUE;
            break;
          }
    }

  for (guint i = 0; i < n_spans; i++)
    for (guint m = spans[i].open; m + q->duration <= spans[i].close; m += step)
      if ((int) m != preferred_minute && try_start (q, day, m, out))
        return TRUE;

  return FALSE;
}

/* Searches days from @from for at most @n_days, forward */
static gboolean
find_slot_forward (SlotQuery   *q,
                   const GDate *from,
                   guint        n_days,
                   int          preferred_minute,
                   Slot        *out,
                   GDate       *day_out)
{
  GDate day = *from;

  for (guint i = 0; i < n_days; i++)
    {
      if (find_slot_on_day (q, &day, preferred_minute, out))
        {
          *day_out = day;
          return TRUE;
        }
      g_date_add_days (&day, 1);
    }
  return FALSE;
}

/* Tries days in [lo, hi] outward from @target, later before earlier at
 * equal distance; then, when nothing fits, forward from hi + 1 (flagged) */
static gboolean
find_slot_around (SlotQuery     *q,
                  const GDate   *target,
                  const GDate   *lo,
                  const GDate   *hi,
                  int            preferred_minute,
                  Slot          *out,
                  GDate         *day_out,
                  DermPlanFlags *flags)
{
  int span_later = days_between (target, hi);
  int span_earlier = days_between (lo, target);
  int reach = MAX (span_later, span_earlier);
  GDate after_hi;

  for (int dist = 0; dist <= reach; dist++)
    {
      GDate day;

      if (dist <= span_later && (dist > 0 || span_earlier >= 0))
        {
          date_plus_days (&day, target, dist);
          if (g_date_compare (&day, lo) >= 0 &&
              find_slot_on_day (q, &day, preferred_minute, out))
            {
              *day_out = day;
              if (dist > 0)
                *flags |= DERM_PLAN_FLAG_LATER_THAN_DEFAULT;
              return TRUE;
            }
        }
      if (dist > 0 && dist <= span_earlier)
        {
          date_plus_days (&day, target, -dist);
          if (g_date_compare (&day, hi) <= 0 &&
              find_slot_on_day (q, &day, preferred_minute, out))
            {
              *day_out = day;
              *flags |= DERM_PLAN_FLAG_EARLIER_THAN_DEFAULT;
              return TRUE;
            }
        }
    }

  date_plus_days (&after_hi, hi, 1);
  if (g_date_compare (&after_hi, lo) < 0)
    after_hi = *lo;
  if (find_slot_forward (q, &after_hi, DERM_PLANNER_SEARCH_DAYS, preferred_minute, out, day_out))
    {
      *flags |= DERM_PLAN_FLAG_BEYOND_MAX;
      return TRUE;
    }
  return FALSE;
}

static void
take (SlotQuery       *q,
      DermAppointment *appointment)
{
  Taken t;

  if (q->taken == NULL)
    return;
  t.start = derm_appointment_get_start_unix (appointment);
  t.end = derm_appointment_get_end_unix (appointment);
  t.room = derm_appointment_get_room (appointment);
  t.practitioner = derm_appointment_get_practitioner (appointment);
  g_array_append_val (q->taken, t);
}

static void
apply_slot (DermAppointment *appointment,
            Slot            *slot)
{
  derm_appointment_set_start_date_time (appointment, slot->start);
  derm_appointment_set_room (appointment, slot->room);
  derm_appointment_set_practitioner (appointment, slot->practitioner);
}

static gboolean
set_no_slot_error (GError      **error,
                   guint         session,
                   const GDate  *from)
{
  g_autofree char *iso = NULL;

  if (g_date_get_year (from) > 9999)
    {
      g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_INVALID,
                   _("Session %u would fall after 9999-12-31, the last day Dermis can book. Choose an earlier start date."),
                   session);
      return FALSE;
    }
  {
    g_autofree char *day = format_date (from);
    iso = derm_date_format_display (day, TRUE);
  }
  g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_NO_SLOT,
               _("No free slot for session %u within a year of %s. Check the opening hours, rooms and practitioners."),
               session, iso);
  return FALSE;
}

/* --- proposing a series ------------------------------------------------ */

DermPlanProposal *
derm_planner_propose_series (DermPlanner            *self,
                             const DermPlanRequest  *request,
                             GError                **error)
{
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (DermSeries) series = NULL;
  g_autoptr (GArray) taken = NULL;
  g_auto (FindingSummary) findings = { 0 };
  SlotQuery q = { 0 };
  const char *room, *practitioner;
  GDate start, prev;
  int first_minute;
  guint n;

  g_return_val_if_fail (DERM_IS_PLANNER (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (DERM_IS_PROTOCOL (request->protocol), NULL);

  if (!derm_protocol_validate (request->protocol, error))
    return NULL;
  if (!derm_date_parse (request->start_date, &start))
    {
      g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_INVALID,
                   _("Start date “%s” is not a date. Write it as YYYY-MM-DD."),
                   request->start_date ? request->start_date : "");
      return NULL;
    }

  room = (request->room != NULL && request->room[0] != '\0') ? request->room : NULL;
  practitioner = (request->practitioner != NULL && request->practitioner[0] != '\0') ? request->practitioner : NULL;
  if (room != NULL && !derm_clinic_has_room (self->clinic, room))
    {
      g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_INVALID,
                   _("There is no room “%s”. Add it in Preferences or choose another."), room);
      return NULL;
    }
  if (practitioner != NULL && !derm_clinic_has_practitioner (self->clinic, practitioner))
    {
      g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_INVALID,
                   _("There is no practitioner “%s”. Add them in Preferences or choose another."),
                   practitioner);
      return NULL;
    }

  series = derm_series_new_from_protocol (request->protocol, request->client_id, request->start_date);
  derm_series_set_room (series, room);
  derm_series_set_practitioner (series, practitioner);
  proposal = derm_plan_proposal_new (DERM_PLAN_PROPOSAL_SERIES, series);

  summarise_findings (request->findings, &findings);
  if (findings.blocked_reason != NULL)
    {
      derm_plan_proposal_set_blocked (proposal, findings.blocked_reason);
      return g_steal_pointer (&proposal);
    }
  if (g_date_valid (&findings.until))
    {
      g_autofree char *until = format_date (&findings.until);
      derm_plan_proposal_set_blocked_until (proposal, until);
    }

  taken = g_array_new (FALSE, FALSE, sizeof (Taken));
  q.self = self;
  q.duration = derm_protocol_get_duration_minutes (request->protocol);
  q.fixed_room = room;
  q.fixed_practitioner = practitioner;
  q.taken = taken;
  q.not_before = planner_now_unix (self);
  q.client_id = request->client_id;
  q.min_days = 7 * derm_protocol_get_min_interval_weeks (request->protocol);
  q.session = TRUE;

  n = derm_protocol_get_sessions (request->protocol);
  first_minute = request->preferred_time;
  g_date_clear (&prev, 1);

  for (guint k = 1; k <= n; k++)
    {
      g_autoptr (DermAppointment) appointment = derm_appointment_new ();
      g_auto (Slot) slot = { 0 };
      DermPlanFlags flags = 0;
      GDate day;

      if (k == 1)
        {
          GDate from = start;

          if (g_date_valid (&findings.until) && g_date_compare (&findings.until, &from) > 0)
            {
              from = findings.until;
              flags |= DERM_PLAN_FLAG_DELAYED_BY_FINDING;
            }
          if (!find_slot_forward (&q, &from, DERM_PLANNER_SEARCH_DAYS, first_minute, &slot, &day))
            {
              set_no_slot_error (error, k, &from);
              return NULL;
            }
        }
      else
        {
          GDate target, lo, hi;

          date_plus_days (&target, &prev, 7 * derm_protocol_get_interval_weeks (request->protocol));
          date_plus_days (&lo, &prev, 7 * derm_protocol_get_min_interval_weeks (request->protocol));
          date_plus_days (&hi, &prev, 7 * derm_protocol_get_max_interval_weeks (request->protocol));
          if (g_date_valid (&findings.until) && g_date_compare (&findings.until, &lo) > 0)
            {
              lo = findings.until;
              if (g_date_compare (&findings.until, &target) > 0)
                {
                  target = findings.until;
                  flags |= DERM_PLAN_FLAG_DELAYED_BY_FINDING;
                }
              if (g_date_compare (&hi, &lo) < 0)
                hi = lo;
            }
          if (!find_slot_around (&q, &target, &lo, &hi, first_minute, &slot, &day, &flags))
            {
              set_no_slot_error (error, k, &target);
              return NULL;
            }
          /* Flags compare with the protocol's default, not a delayed target */
          if (flags & DERM_PLAN_FLAG_DELAYED_BY_FINDING)
            flags &= ~(DERM_PLAN_FLAG_EARLIER_THAN_DEFAULT | DERM_PLAN_FLAG_LATER_THAN_DEFAULT);
        }

      derm_appointment_set_client_id (appointment, request->client_id);
      derm_appointment_set_session_index (appointment, k);
      derm_appointment_set_session_count (appointment, n);
      derm_appointment_set_duration_minutes (appointment, q.duration);
      derm_appointment_set_kind (appointment, DERM_APPOINTMENT_SESSION);
      derm_appointment_set_protocol_name (appointment, derm_protocol_get_name (request->protocol));
      apply_slot (appointment, &slot);
      if (k == 1 && findings.rescreen)
        {
          derm_appointment_set_rescreen_first (appointment, TRUE);
          derm_appointment_set_never_screened (appointment, findings.never_screened);
          flags |= DERM_PLAN_FLAG_RESCREEN_FIRST;
          if (findings.never_screened)
            flags |= DERM_PLAN_FLAG_NEVER_SCREENED;
        }

      if (k == 1)
        {
          first_minute = appointment_minute (self, appointment);
          q.prefer_room = slot.room;
          q.prefer_practitioner = slot.practitioner;
        }
      take (&q, appointment);
      prev = day;
      derm_plan_proposal_add_item (proposal, appointment, NULL, flags);
    }

  if (request->with_follow_up && derm_protocol_get_follow_up_weeks (request->protocol) > 0)
    {
      g_autoptr (DermAppointment) photo = derm_appointment_new ();
      g_auto (Slot) slot = { 0 };
      GDate from, day;

      date_plus_days (&from, &prev, 7 * derm_protocol_get_follow_up_weeks (request->protocol));
      q.duration = FOLLOW_UP_MINUTES;
      q.session = FALSE;
      if (!find_slot_forward (&q, &from, DERM_PLANNER_SEARCH_DAYS, first_minute, &slot, &day))
        {
          set_no_slot_error (error, n + 1, &from);
          return NULL;
        }
      derm_appointment_set_client_id (photo, request->client_id);
      derm_appointment_set_session_index (photo, n + 1);
      derm_appointment_set_session_count (photo, n);
      derm_appointment_set_duration_minutes (photo, FOLLOW_UP_MINUTES);
      derm_appointment_set_kind (photo, DERM_APPOINTMENT_FOLLOW_UP_PHOTO);
      derm_appointment_set_protocol_name (photo, derm_protocol_get_name (request->protocol));
      apply_slot (photo, &slot);
      derm_plan_proposal_add_item (proposal, photo, NULL, 0);
    }

  derm_planner_check_proposal (self, proposal, request->findings);
  return g_steal_pointer (&proposal);
}

/* --- checking ---------------------------------------------------------- */

static DermPlanProblems
check_against_clinic (DermPlanner     *self,
                      DermAppointment *appointment,
                      GHashTable      *ignore)
{
  g_autoptr (GDateTime) start = derm_appointment_dup_start (appointment);
  DermPlanProblems problems = 0;
  const char *room = derm_appointment_get_room (appointment);
  const char *practitioner = derm_appointment_get_practitioner (appointment);
  const char * const *rooms = derm_clinic_get_rooms (self->clinic);
  gint64 s, e;
  GDate day;

  if (start == NULL)
    return DERM_PLAN_PROBLEM_NO_START;

  appointment_day (self, appointment, &day);
  if (!derm_clinic_is_open_on (self->clinic, &day))
    problems |= DERM_PLAN_PROBLEM_CLOSED_DAY;
  else if (!derm_clinic_is_within_hours (self->clinic, start,
                                         derm_appointment_get_duration_minutes (appointment)))
    problems |= DERM_PLAN_PROBLEM_OUTSIDE_HOURS;

  if ((room == NULL && rooms[0] != NULL) ||
      (room != NULL && !derm_clinic_has_room (self->clinic, room)))
    problems |= DERM_PLAN_PROBLEM_UNKNOWN_ROOM;
  if (practitioner != NULL && !derm_clinic_has_practitioner (self->clinic, practitioner))
    problems |= DERM_PLAN_PROBLEM_UNKNOWN_PRACTITIONER;

  s = derm_appointment_get_start_unix (appointment);
  e = derm_appointment_get_end_unix (appointment);
  if (room_busy (self, room, s, e, ignore))
    problems |= DERM_PLAN_PROBLEM_ROOM_TAKEN;
  if (practitioner_busy (self, practitioner, s, e, ignore))
    problems |= DERM_PLAN_PROBLEM_PRACTITIONER_TAKEN;
  if (!derm_clinic_is_practitioner_available (self->clinic, practitioner, start,
                                              derm_appointment_get_duration_minutes (appointment)))
    problems |= DERM_PLAN_PROBLEM_PRACTITIONER_AWAY;

  return problems;
}

DermPlanProblems
derm_planner_check_appointment (DermPlanner     *self,
                                DermAppointment *appointment)
{
  g_autoptr (GHashTable) ignore = ignore_set_new ();

  g_return_val_if_fail (DERM_IS_PLANNER (self), 0);
  g_return_val_if_fail (DERM_IS_APPOINTMENT (appointment), 0);

  ignore_set_add (ignore, derm_appointment_get_id (appointment));
  return check_against_clinic (self, appointment, ignore);
}

typedef struct
{
  DermAppointment *appointment;
  int              item;     /* index in the proposal, -1 for context */
} TimelineEntry;

static int
compare_timeline (gconstpointer a,
                  gconstpointer b)
{
  const TimelineEntry *x = a;
  const TimelineEntry *y = b;

  return derm_appointment_compare_start (&x->appointment, &y->appointment);
}

/* TRUE when @appointment starts on the slot step of its opening span
 * (or lies outside every span, which OUTSIDE_HOURS reports) */
static gboolean
on_slot_step (DermPlanner     *self,
              DermAppointment *appointment)
{
  const DermOpeningSpan *spans;
  guint n, step = derm_clinic_get_slot_step (self->clinic);
  int minute = appointment_minute (self, appointment);
  GDate day;

  if (step <= 1 || minute < 0 || !appointment_day (self, appointment, &day))
    return TRUE;
  spans = derm_clinic_get_hours (self->clinic, g_date_get_weekday (&day), &n);
  for (guint i = 0; i < n; i++)
    if ((guint) minute >= spans[i].open && (guint) minute < spans[i].close)
      return ((guint) minute - spans[i].open) % step == 0;
  return TRUE;
}

/* An item the user is booking now (not one kept as it was booked) */
static gboolean
item_is_new_time (DermPlanProposal *proposal,
                  guint             i)
{
  DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
  DermAppointment *original = derm_plan_proposal_get_original (proposal, i);

  if (original == NULL || derm_appointment_get_id (item) <= 0)
    return TRUE;
  return derm_appointment_get_start_unix (item) != derm_appointment_get_start_unix (original) ||
         !derm_appointment_occupies (original);
}

/* The client rules against the index: the same client twice at once, and
 * sessions of other series within the larger minimum interval */
static DermPlanProblems
client_problems (DermPlanner *self,
                 gint64       client_id,
                 gint64       series_id,
                 guint        min_days,
                 gboolean     session,
                 gint64       s,
                 gint64       e,
                 const GDate *day,
                 GHashTable  *ignore,
                 gint64       self_id)
{
  GArray *ids;
  DermPlanProblems problems = 0;

  if (client_id <= 0 || (ids = g_hash_table_lookup (self->by_client, &client_id)) == NULL)
    return 0;

  for (guint j = 0; j < ids->len; j++)
    {
      gint64 id = g_array_index (ids, gint64, j);
      Entry *other = g_hash_table_lookup (self->entries, &id);

      if (other == NULL || id == self_id || (ignore != NULL && g_hash_table_contains (ignore, &id)))
        continue;
      if (other->start < e && other->end > s)
        problems |= DERM_PLAN_PROBLEM_CLIENT_BUSY;
      if (session && other->session && (series_id == 0 || other->series_id != series_id))
        {
          guint need = MAX (min_days, other->min_days);
          g_autoptr (GDateTime) other_start = NULL;
          g_autoptr (GDateTime) local = NULL;
          GDate other_day;

          /* Far apart in time: no need for calendar days */
          if (need == 0 || ABS (other->start - s) > (gint64) (need + 2) * 24 * 3600)
            continue;
          other_start = g_date_time_new_from_unix_utc (other->start);
          local = g_date_time_to_timezone (other_start, derm_clinic_get_time_zone (self->clinic));
          local_date_of (local, &other_day);
          if (ABS (days_between (day, &other_day)) < (int) need)
            problems |= DERM_PLAN_PROBLEM_OTHER_SERIES;
        }
    }
  return problems;
}

static DermPlanProblems
check_client (DermPlanner     *self,
              DermAppointment *item,
              gint64           series_id,
              guint            min_days,
              GHashTable      *ignore)
{
  GDate day;

  if (!appointment_day (self, item, &day))
    return 0;
  return client_problems (self, derm_appointment_get_client_id (item), series_id, min_days,
                          derm_appointment_get_kind (item) == DERM_APPOINTMENT_SESSION,
                          derm_appointment_get_start_unix (item), derm_appointment_get_end_unix (item),
                          &day, ignore, derm_appointment_get_id (item));
}

gboolean
derm_planner_check_proposal (DermPlanner      *self,
                             DermPlanProposal *proposal,
                             GPtrArray        *findings)
{
  g_autoptr (GHashTable) ignore = ignore_set_new ();
  g_autoptr (GArray) timeline = g_array_new (FALSE, FALSE, sizeof (TimelineEntry));
  g_autofree DermPlanProblems *problems = NULL;
  g_autofree DermPlanFlags *flags = NULL;
  g_auto (FindingSummary) summary = { 0 };
  DermSeries *series;
  GPtrArray *context;
  guint n_items;
  guint min_days, max_days, follow_up_days;
  gint64 series_id, now;
  int last_session = -1;      /* timeline index of the latest session */

  g_return_val_if_fail (DERM_IS_PLANNER (self), FALSE);
  g_return_val_if_fail (DERM_IS_PLAN_PROPOSAL (proposal), FALSE);

  series = derm_plan_proposal_get_series (proposal);
  context = derm_plan_proposal_get_context (proposal);
  n_items = derm_plan_proposal_get_n_items (proposal);
  problems = g_new0 (DermPlanProblems, MAX (n_items, 1));
  flags = g_new0 (DermPlanFlags, MAX (n_items, 1));
  min_days = series != NULL ? 7 * derm_series_get_min_interval_weeks (series) : 0;
  max_days = series != NULL ? 7 * derm_series_get_max_interval_weeks (series) : 0;
  follow_up_days = series != NULL ? 7 * derm_series_get_follow_up_weeks (series) : 0;
  series_id = series != NULL ? derm_series_get_id (series) : 0;
  now = planner_now_unix (self);
  summarise_findings (findings, &summary);

  for (guint i = 0; i < n_items; i++)
    {
      DermAppointment *original = derm_plan_proposal_get_original (proposal, i);

      /* Re-judged below from the dates as they now stand */
      flags[i] = derm_plan_proposal_get_flags (proposal, i) & ~DERM_PLAN_FLAG_BEYOND_MAX;
      ignore_set_add (ignore, derm_appointment_get_id (derm_plan_proposal_get_item (proposal, i)));
      if (original != NULL)
        ignore_set_add (ignore, derm_appointment_get_id (original));
    }

  for (guint i = 0; i < n_items; i++)
    {
      DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
      gboolean session = derm_appointment_get_kind (item) == DERM_APPOINTMENT_SESSION;
      GDate day;

      if (!derm_appointment_occupies (item))
        continue;

      problems[i] = check_against_clinic (self, item, ignore);
      if (problems[i] & DERM_PLAN_PROBLEM_NO_START)
        continue;

      if (derm_appointment_get_status (item) == DERM_APPOINTMENT_BOOKED &&
          item_is_new_time (proposal, i) && derm_appointment_get_start_unix (item) < now)
        problems[i] |= DERM_PLAN_PROBLEM_IN_PAST;
      if (!on_slot_step (self, item))
        problems[i] |= DERM_PLAN_PROBLEM_OFF_STEP;

      /* A contraindication without an end blocks every session; one with
       * an end, the days before it */
      if (session && summary.blocked_reason != NULL)
        problems[i] |= DERM_PLAN_PROBLEM_CONTRAINDICATED;
      if (session && g_date_valid (&summary.until) && appointment_day (self, item, &day) &&
          g_date_compare (&day, &summary.until) < 0)
        problems[i] |= DERM_PLAN_PROBLEM_CONTRAINDICATED;

      problems[i] |= check_client (self, item, series_id, min_days, ignore);

      for (guint j = 0; j < i; j++)
        {
          DermAppointment *other = derm_plan_proposal_get_item (proposal, j);

          if (derm_appointment_occupies (other) &&
              derm_appointment_get_start_local (other) != NULL &&
              derm_appointment_get_start_unix (other) < derm_appointment_get_end_unix (item) &&
              derm_appointment_get_end_unix (other) > derm_appointment_get_start_unix (item))
            {
              problems[i] |= DERM_PLAN_PROBLEM_OVERLAPS_SERIES;
              problems[j] |= DERM_PLAN_PROBLEM_OVERLAPS_SERIES;
            }
        }

      if (session)
        {
          TimelineEntry entry = { item, (int) i };
          g_array_append_val (timeline, entry);
        }
    }

  /* The rest of the series as booked, minus what the items replace */
  for (guint i = 0; context != NULL && i < context->len; i++)
    {
      DermAppointment *appointment = g_ptr_array_index (context, i);
      gint64 id = derm_appointment_get_id (appointment);
      TimelineEntry entry = { appointment, -1 };

      if (!derm_appointment_occupies (appointment) ||
          derm_appointment_get_kind (appointment) != DERM_APPOINTMENT_SESSION ||
          derm_appointment_get_start_local (appointment) == NULL ||
          (id > 0 && g_hash_table_contains (ignore, &id)))
        continue;
      g_array_append_val (timeline, entry);
    }

  /* Both neighbours: whichever of a too-close pair is being booked is
   * flagged; the later one beyond the maximum is flagged for confirmation */
  g_array_sort (timeline, compare_timeline);
  for (guint t = 1; t < timeline->len; t++)
    {
      TimelineEntry *before = &g_array_index (timeline, TimelineEntry, t - 1);
      TimelineEntry *after = &g_array_index (timeline, TimelineEntry, t);
      GDate a, b;
      int gap;

      if ((after->item < 0 && before->item < 0) ||
          !appointment_day (self, before->appointment, &a) ||
          !appointment_day (self, after->appointment, &b))
        continue;
      gap = days_between (&a, &b);
      if (min_days > 0 && gap < (int) min_days)
        {
          if (after->item >= 0)
            problems[after->item] |= DERM_PLAN_PROBLEM_TOO_SOON;
          else
            problems[before->item] |= DERM_PLAN_PROBLEM_TOO_CLOSE_NEXT;
        }
      if (max_days > 0 && gap > (int) max_days && after->item >= 0)
        flags[after->item] |= DERM_PLAN_FLAG_BEYOND_MAX;
    }
  if (timeline->len > 0)
    last_session = (int) timeline->len - 1;

  /* The follow-up photo comes its delay after the last session */
  if (last_session >= 0 && follow_up_days > 0)
    {
      TimelineEntry *last = &g_array_index (timeline, TimelineEntry, last_session);
      GDate last_day, due;

      appointment_day (self, last->appointment, &last_day);
      date_plus_days (&due, &last_day, follow_up_days);
      for (guint i = 0; i < n_items; i++)
        {
          DermAppointment *item = derm_plan_proposal_get_item (proposal, i);
          GDate day;

          if (derm_appointment_get_kind (item) == DERM_APPOINTMENT_FOLLOW_UP_PHOTO &&
              derm_appointment_occupies (item) && appointment_day (self, item, &day) &&
              g_date_compare (&day, &due) < 0)
            problems[i] |= DERM_PLAN_PROBLEM_FOLLOW_UP_EARLY;
        }
      /* A session moved past a booked photo that no item moves */
      for (guint i = 0; last->item >= 0 && context != NULL && i < context->len; i++)
        {
          DermAppointment *photo = g_ptr_array_index (context, i);
          gint64 id = derm_appointment_get_id (photo);
          GDate day;

          if (derm_appointment_get_kind (photo) == DERM_APPOINTMENT_FOLLOW_UP_PHOTO &&
              derm_appointment_get_status (photo) == DERM_APPOINTMENT_BOOKED &&
              !(id > 0 && g_hash_table_contains (ignore, &id)) &&
              appointment_day (self, photo, &day) && g_date_compare (&day, &due) < 0)
            problems[last->item] |= DERM_PLAN_PROBLEM_FOLLOW_UP_EARLY;
        }
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *text = derm_plan_problems_to_string (problems[i]);
      g_autofree char *flag_text = NULL;
      g_autofree char *message = NULL;

      derm_plan_proposal_set_flags (proposal, i, flags[i]);
      flag_text = derm_plan_flags_to_string (flags[i]);
      if (text[0] != '\0' && flag_text[0] != '\0')
        message = g_strdup_printf ("%s; %s", text, flag_text);
      else
        message = g_strdup (text[0] != '\0' ? text : flag_text);

      if ((problems[i] & DERM_PLAN_PROBLEM_CONTRAINDICATED) && summary.blocked_reason != NULL)
        {
          g_autofree char *longer = g_strdup_printf ("%s. %s", message, summary.blocked_reason);
          g_free (message);
          message = g_steal_pointer (&longer);
        }
      else if ((flags[i] & DERM_PLAN_FLAG_DELAYED_BY_FINDING ||
                problems[i] & DERM_PLAN_PROBLEM_CONTRAINDICATED) &&
               summary.until_reason != NULL)
        {
          g_autofree char *day = format_date (&summary.until);
          g_autofree char *until = derm_date_format_display (day, TRUE);
          g_autofree char *longer =
            g_strdup_printf (_("%s. Not before %s: %s"), message, until, summary.until_reason);
          g_free (message);
          message = g_steal_pointer (&longer);
        }
      {
        /* The message is shown on its own, as a sentence */
        g_autofree char *sentence = derm_text_sentence_case (message);

        derm_plan_proposal_set_problems (proposal, i, problems[i], sentence);
      }
    }

  return derm_plan_proposal_is_bookable (proposal);
}

DermPlanProposal *
derm_planner_propose_single (DermPlanner     *self,
                             DermAppointment *appointment,
                             GPtrArray       *findings)
{
  DermPlanProposal *proposal;

  g_return_val_if_fail (DERM_IS_PLANNER (self), NULL);
  g_return_val_if_fail (DERM_IS_APPOINTMENT (appointment), NULL);

  proposal = derm_plan_proposal_new (DERM_PLAN_PROPOSAL_RESCHEDULE, NULL);
  /* New, but not "replacing a missed session": no flag to show */
  derm_plan_proposal_add_item (proposal, appointment, NULL, 0);
  derm_planner_check_proposal (self, proposal, findings);
  return proposal;
}

void
derm_planner_revalidate (DermPlanner *self,
                         DermSeries  *series,
                         GPtrArray   *context,
                         GPtrArray   *to_check,
                         GPtrArray   *findings)
{
  g_autoptr (DermPlanProposal) proposal = NULL;

  g_return_if_fail (DERM_IS_PLANNER (self));
  g_return_if_fail (to_check != NULL);

  /* Each booking as its own original: kept where it is, so only the
   * rules, not "in the past", can find fault with it */
  proposal = derm_plan_proposal_new (DERM_PLAN_PROPOSAL_RESCHEDULE, series);
  for (guint i = 0; i < to_check->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (to_check, i);

      derm_plan_proposal_add_item (proposal, a, a, 0);
    }
  if (context != NULL)
    derm_plan_proposal_set_context (proposal, context);
  derm_planner_check_proposal (self, proposal, findings);
  for (guint i = 0; i < to_check->len; i++)
    {
      DermPlanProblems problems = derm_plan_proposal_get_problems (proposal, i);

      derm_appointment_set_problems (g_ptr_array_index (to_check, i), problems,
                                     problems != 0 ? derm_plan_proposal_get_message (proposal, i) : NULL);
    }
}

/* --- re-planning ------------------------------------------------------- */

static int
compare_session_index (gconstpointer a,
                       gconstpointer b)
{
  DermAppointment *x = *(DermAppointment * const *) a;
  DermAppointment *y = *(DermAppointment * const *) b;
  guint kx = derm_appointment_get_session_index (x);
  guint ky = derm_appointment_get_session_index (y);

  if (kx != ky)
    return kx < ky ? -1 : 1;
  return derm_appointment_compare_start (a, b);
}

DermPlanProposal *
derm_planner_replan (DermPlanner      *self,
                     DermSeries       *series,
                     GPtrArray        *appointments,
                     DermAppointment  *changed,
                     GPtrArray        *findings,
                     GDateTime        *now,
                     GError          **error)
{
  g_autoptr (DermPlanProposal) proposal = NULL;
  g_autoptr (GPtrArray) sorted = NULL;
  g_autoptr (GHashTable) ignore = ignore_set_new ();
  g_autoptr (GArray) taken = g_array_new (FALSE, FALSE, sizeof (Taken));
  g_autoptr (GDateTime) real_now = NULL;
  g_autoptr (GDateTime) local_now = NULL;
  g_auto (FindingSummary) summary = { 0 };
  DermAppointment *original = NULL;
  SlotQuery q = { 0 };
  GDate anchor, today;
  gboolean have_anchor = FALSE;
  guint k, interval, min_weeks, max_weeks;
  int minute;

  g_return_val_if_fail (DERM_IS_PLANNER (self), NULL);
  g_return_val_if_fail (DERM_IS_SERIES (series), NULL);
  g_return_val_if_fail (appointments != NULL, NULL);
  g_return_val_if_fail (DERM_IS_APPOINTMENT (changed), NULL);

  for (guint i = 0; i < appointments->len; i++)
    if (derm_appointment_get_id (g_ptr_array_index (appointments, i)) == derm_appointment_get_id (changed))
      original = g_ptr_array_index (appointments, i);
  if (original == NULL || derm_appointment_get_id (changed) <= 0)
    {
      g_set_error (error, DERM_PLANNER_ERROR, DERM_PLANNER_ERROR_INVALID,
                   _("The appointment is not part of this series."));
      return NULL;
    }

  if (now == NULL && self->now != NULL)
    now = self->now;
  if (now == NULL)
    now = real_now = g_date_time_new_now_utc ();
  local_now = g_date_time_to_timezone (now, derm_clinic_get_time_zone (self->clinic));
  local_date_of (local_now, &today);

  interval = derm_series_get_interval_weeks (series);
  min_weeks = derm_series_get_min_interval_weeks (series);
  max_weeks = derm_series_get_max_interval_weeks (series);
  k = derm_appointment_get_session_index (original);

  proposal = derm_plan_proposal_new (DERM_PLAN_PROPOSAL_RESCHEDULE, series);
  derm_plan_proposal_set_context (proposal, appointments);
  summarise_findings (findings, &summary);

  sorted = g_ptr_array_copy (appointments, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  g_ptr_array_sort (sorted, compare_session_index);

  /* The latest session held before k anchors the intervals */
  for (guint i = 0; i < sorted->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (sorted, i);

      if (derm_appointment_get_kind (a) == DERM_APPOINTMENT_SESSION &&
          derm_appointment_occupies (a) &&
          derm_appointment_get_session_index (a) < k &&
          appointment_day (self, a, &anchor))
        have_anchor = TRUE;
    }

  {
    g_autoptr (DermAppointment) item = derm_appointment_copy (changed);
    derm_plan_proposal_add_item (proposal, item, original, DERM_PLAN_FLAG_CHANGED);
    ignore_set_add (ignore, derm_appointment_get_id (changed));
  }

  q.self = self;
  q.taken = taken;
  q.ignore = ignore;
  q.client_id = derm_series_get_client_id (series);
  q.series_id = derm_series_get_id (series);
  q.min_days = 7 * min_weeks;
  q.session = TRUE;
  q.prefer_room = derm_appointment_get_room (original);
  q.prefer_practitioner = derm_appointment_get_practitioner (original);
  q.fixed_room = derm_series_get_room (series);
  q.fixed_practitioner = derm_series_get_practitioner (series);
  minute = appointment_minute (self, original);

  if (derm_appointment_get_kind (original) == DERM_APPOINTMENT_SESSION &&
      !derm_appointment_occupies (changed) && derm_appointment_occupies (original))
    {
      /* A missed session still has to happen: propose a replacement */
      g_autoptr (DermAppointment) replacement = derm_appointment_copy (original);
      g_auto (Slot) slot = { 0 };
      DermPlanFlags flags = DERM_PLAN_FLAG_NEW;
      GDate lo, hi, target, day, missed_day;

      derm_appointment_set_id (replacement, 0);
      derm_appointment_set_status (replacement, DERM_APPOINTMENT_BOOKED);
      derm_appointment_set_treatment_id (replacement, 0);
      /* Not in the past, and not again on the day that was missed */
      q.duration = derm_appointment_get_duration_minutes (original);
      q.not_before = MAX (g_date_time_to_unix (now), derm_appointment_get_end_unix (original));
      appointment_day (self, original, &missed_day);
      g_date_add_days (&missed_day, 1);

      if (have_anchor)
        {
          date_plus_days (&target, &anchor, 7 * interval);
          date_plus_days (&lo, &anchor, 7 * min_weeks);
          date_plus_days (&hi, &anchor, 7 * max_weeks);
        }
      else
        {
          appointment_day (self, original, &target);
          g_date_add_days (&target, 1);
          lo = target;
          date_plus_days (&hi, &target, 7 * (max_weeks - interval));
        }
      if (g_date_compare (&lo, &today) < 0)
        lo = today;
      if (g_date_compare (&lo, &missed_day) < 0)
        lo = missed_day;
      if (g_date_valid (&summary.until) && g_date_compare (&lo, &summary.until) < 0)
        {
          lo = summary.until;
          flags |= DERM_PLAN_FLAG_DELAYED_BY_FINDING;
        }
      if (g_date_compare (&target, &lo) < 0)
        target = lo;
      if (g_date_compare (&hi, &lo) < 0)
        hi = lo;

      if (!find_slot_around (&q, &target, &lo, &hi, minute, &slot, &day, &flags))
        {
          set_no_slot_error (error, k, &target);
          return NULL;
        }
      apply_slot (replacement, &slot);
      take (&q, replacement);
      derm_plan_proposal_add_item (proposal, replacement, NULL, flags);
      anchor = day;
      have_anchor = TRUE;
    }
  else if (derm_appointment_occupies (changed) &&
           derm_appointment_get_kind (changed) == DERM_APPOINTMENT_SESSION)
    {
      appointment_day (self, changed, &anchor);
      have_anchor = TRUE;
      take (&q, changed);
    }

  /* Later sessions: shift only those that would break the minimum */
  for (guint i = 0; i < sorted->len && have_anchor; i++)
    {
      DermAppointment *later = g_ptr_array_index (sorted, i);
      g_autoptr (DermAppointment) shifted = NULL;
      g_auto (Slot) slot = { 0 };
      DermPlanFlags flags = DERM_PLAN_FLAG_SHIFTED;
      GDate day, lo, hi, target;

      if (derm_appointment_get_kind (later) != DERM_APPOINTMENT_SESSION ||
          derm_appointment_get_status (later) != DERM_APPOINTMENT_BOOKED ||
          derm_appointment_get_session_index (later) <= k ||
          derm_appointment_get_id (later) == derm_appointment_get_id (changed) ||
          !appointment_day (self, later, &day))
        continue;

      if (days_between (&anchor, &day) >= (int) (7 * min_weeks))
        {
          anchor = day;
          continue;
        }

      ignore_set_add (ignore, derm_appointment_get_id (later));
      date_plus_days (&target, &anchor, 7 * interval);
      date_plus_days (&lo, &anchor, 7 * min_weeks);
      date_plus_days (&hi, &anchor, 7 * max_weeks);
      q.duration = derm_appointment_get_duration_minutes (later);
      q.not_before = g_date_time_to_unix (now);
      if (!find_slot_around (&q, &target, &lo, &hi, appointment_minute (self, later),
                             &slot, &day, &flags))
        {
          set_no_slot_error (error, derm_appointment_get_session_index (later), &target);
          return NULL;
        }
      shifted = derm_appointment_copy (later);
      apply_slot (shifted, &slot);
      take (&q, shifted);
      derm_plan_proposal_add_item (proposal, shifted, later, flags);
      anchor = day;
    }

  /* The follow-up photo keeps its delay after the last session */
  for (guint i = 0; i < sorted->len && have_anchor && derm_series_get_follow_up_weeks (series) > 0; i++)
    {
      DermAppointment *photo = g_ptr_array_index (sorted, i);
      g_autoptr (DermAppointment) shifted = NULL;
      g_auto (Slot) slot = { 0 };
      GDate day, due;

      if (derm_appointment_get_kind (photo) != DERM_APPOINTMENT_FOLLOW_UP_PHOTO ||
          derm_appointment_get_status (photo) != DERM_APPOINTMENT_BOOKED ||
          derm_appointment_get_id (photo) == derm_appointment_get_id (changed) ||
          !appointment_day (self, photo, &day))
        continue;

      date_plus_days (&due, &anchor, 7 * derm_series_get_follow_up_weeks (series));
      if (g_date_compare (&day, &due) >= 0)
        continue;

      ignore_set_add (ignore, derm_appointment_get_id (photo));
      q.session = FALSE;
      q.duration = derm_appointment_get_duration_minutes (photo);
      q.not_before = g_date_time_to_unix (now);
      if (!find_slot_forward (&q, &due, DERM_PLANNER_SEARCH_DAYS, appointment_minute (self, photo), &slot, &day))
        {
          set_no_slot_error (error, derm_appointment_get_session_index (photo), &due);
          return NULL;
        }
      shifted = derm_appointment_copy (photo);
      apply_slot (shifted, &slot);
      take (&q, shifted);
      derm_plan_proposal_add_item (proposal, shifted, photo, DERM_PLAN_FLAG_SHIFTED);
    }

  derm_planner_check_proposal (self, proposal, findings);
  return g_steal_pointer (&proposal);
}

/* --- sessions, progress and the Due list ------------------------------- */

DermTreatment *
derm_planner_prefill_treatment (DermAppointment *appointment)
{
  DermTreatment *treatment;
  GDate day;

  g_return_val_if_fail (DERM_IS_APPOINTMENT (appointment), NULL);

  treatment = derm_treatment_new ();
  derm_treatment_set_client_id (treatment, derm_appointment_get_client_id (appointment));
  if (derm_appointment_get_local_date (appointment, &day))
    {
      g_autofree char *iso = format_date (&day);
      derm_treatment_set_date (treatment, iso);
    }
  derm_treatment_set_practitioner (treatment, derm_appointment_get_practitioner (appointment));
  if (derm_appointment_get_session_count (appointment) > 0 &&
      derm_appointment_get_kind (appointment) == DERM_APPOINTMENT_SESSION)
    {
      g_autofree char *note =
        g_strdup_printf (_("Session %u of %u, %s."),
                         derm_appointment_get_session_index (appointment),
                         derm_appointment_get_session_count (appointment),
                         derm_appointment_get_protocol_name (appointment) != NULL
                           ? derm_appointment_get_protocol_name (appointment) : _("series"));
      derm_treatment_set_notes (treatment, note);
    }
  return treatment;
}

/* Where a series stands from what its sessions are: @done and @booked
 * indexed 1..n for sessions and n + 1 for the follow-up photo. The one
 * place the Due rules live, for objects and for the store's plain rows. */
static void
progress_from_flags (const DermDueSeriesRow *s,
                     const gboolean         *done,
                     const gboolean         *booked,
                     const gboolean         *upcoming,
                     const GDate            *last_done,
                     const GDate            *today,
                     DermSeriesProgress     *out)
{
  guint n = s->sessions;

  memset (out, 0, sizeof *out);
  g_date_clear (&out->due_from, 1);
  g_date_clear (&out->due_until, 1);
  g_date_clear (&out->follow_up_date, 1);
  out->sessions = n;

  for (guint k = 1; k <= n; k++)
    {
      if (done[k])
        out->done++;
      else if (booked[k] && upcoming != NULL && !upcoming[k])
        out->needs_outcome++;
      else if (booked[k])
        out->booked++;
      if (!done[k] && out->next_index == 0)
        out->next_index = k;
    }

  if (out->next_index > 0)
    {
      out->next_booked = booked[out->next_index];
      if (g_date_valid (last_done))
        {
          date_plus_days (&out->due_from, last_done, 7 * s->min_interval_weeks);
          date_plus_days (&out->due_until, last_done, 7 * s->max_interval_weeks);
        }
      else if (g_date_valid (&s->start_date))
        {
          guint slack = s->max_interval_weeks - s->min_interval_weeks;

          out->due_from = s->start_date;
          date_plus_days (&out->due_until, &out->due_from, 7 * MAX (slack, 1));
        }
      out->overdue = !out->next_booked && g_date_valid (&out->due_until) &&
                     g_date_compare (today, &out->due_until) > 0;
    }
  else if (s->follow_up_weeks > 0 && g_date_valid (last_done))
    {
      out->follow_up_pending = !done[n + 1];
      out->follow_up_booked = booked[n + 1];
      date_plus_days (&out->follow_up_date, last_done, 7 * s->follow_up_weeks);
    }
}

/* Marks one appointment in the flags of its series */
static void
progress_add (guint                  n,
              guint                  k,
              DermAppointmentKind    kind,
              DermAppointmentStatus  status,
              const GDate           *day,
              gboolean              *done,
              gboolean              *booked,
              GDate                 *last_done)
{
  if (kind == DERM_APPOINTMENT_FOLLOW_UP_PHOTO)
    {
      if (status == DERM_APPOINTMENT_DONE)
        done[n + 1] = TRUE;
      else if (status == DERM_APPOINTMENT_BOOKED)
        booked[n + 1] = TRUE;
      return;
    }
  if (k < 1 || k > n)
    return;
  if (status == DERM_APPOINTMENT_DONE)
    {
      done[k] = TRUE;
      if (day != NULL && g_date_valid (day) &&
          (!g_date_valid (last_done) || g_date_compare (day, last_done) > 0))
        *last_done = *day;
    }
  else if (status == DERM_APPOINTMENT_BOOKED)
    booked[k] = TRUE;
}

static void
series_row_from_object (DermSeries       *series,
                        DermDueSeriesRow *row)
{
  memset (row, 0, sizeof *row);
  row->id = derm_series_get_id (series);
  row->sessions = derm_series_get_sessions (series);
  row->min_interval_weeks = derm_series_get_min_interval_weeks (series);
  row->max_interval_weeks = derm_series_get_max_interval_weeks (series);
  row->follow_up_weeks = derm_series_get_follow_up_weeks (series);
  row->status = derm_series_get_status (series);
  if (!derm_date_parse (derm_series_get_start_date (series), &row->start_date))
    g_date_clear (&row->start_date, 1);
}

void
derm_planner_series_progress (DermSeries         *series,
                              GPtrArray          *appointments,
                              const GDate        *today,
                              gint64              now,
                              DermSeriesProgress *out)
{
  g_autofree gboolean *done = NULL;
  g_autofree gboolean *booked = NULL;
  g_autofree gboolean *upcoming = NULL;
  DermDueSeriesRow row;
  GDate last_done;

  g_return_if_fail (DERM_IS_SERIES (series));
  g_return_if_fail (appointments != NULL);
  g_return_if_fail (today != NULL && g_date_valid (today));
  g_return_if_fail (out != NULL);

  series_row_from_object (series, &row);
  g_date_clear (&last_done, 1);
  done = g_new0 (gboolean, row.sessions + 2);
  booked = g_new0 (gboolean, row.sessions + 2);
  upcoming = g_new0 (gboolean, row.sessions + 2);

  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (appointments, i);
      guint k = derm_appointment_get_session_index (a);
      GDate day;

      if (derm_appointment_get_series_id (a) != row.id)
        continue;
      if (!derm_appointment_get_local_date (a, &day))
        g_date_clear (&day, 1);
      progress_add (row.sessions, k, derm_appointment_get_kind (a),
                    derm_appointment_get_status (a), &day, done, booked, &last_done);
      /* A booking that is not over yet keeps its session "booked", even
       * beside an older one still waiting for its outcome */
      if (derm_appointment_get_kind (a) == DERM_APPOINTMENT_SESSION && k >= 1 && k <= row.sessions &&
          derm_appointment_get_status (a) == DERM_APPOINTMENT_BOOKED &&
          (derm_appointment_get_start_local (a) == NULL || derm_appointment_get_end_unix (a) > now))
        upcoming[k] = TRUE;
    }

  progress_from_flags (&row, done, booked, upcoming, &last_done, today, out);
}

static int
compare_due_result (gconstpointer a,
                    gconstpointer b)
{
  const DermDueResult *x = a;
  const DermDueResult *y = b;
  int c = g_date_compare (&x->due_from, &y->due_from);

  if (c != 0)
    return c;
  return (int) y->kind - (int) x->kind;
}

GArray *
derm_planner_compute_due (const DermDueSeriesRow      *series,
                          guint                        n_series,
                          const DermDueAppointmentRow *appointments,
                          guint                        n_appointments,
                          const GDate                 *today,
                          guint                        horizon_days)
{
  g_autoptr (GArray) due = g_array_new (FALSE, FALSE, sizeof (DermDueResult));
  g_autoptr (GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree guint *offsets = NULL;
  g_autofree gboolean *done = NULL;
  g_autofree gboolean *booked = NULL;
  g_autofree GDate *last_done = NULL;
  guint total = 0;
  GDate horizon;

  g_return_val_if_fail (series != NULL || n_series == 0, NULL);
  g_return_val_if_fail (appointments != NULL || n_appointments == 0, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  date_plus_days (&horizon, today, horizon_days);

  /* One block of flags for all series, each at its offset: one pass over
   * the appointments, none per series */
  offsets = g_new (guint, n_series + 1);
  last_done = g_new (GDate, MAX (n_series, 1));
  for (guint i = 0; i < n_series; i++)
    {
      offsets[i] = total;
      total += series[i].sessions + 2;
      g_date_clear (&last_done[i], 1);
      g_hash_table_insert (index, (gpointer) &series[i].id, GUINT_TO_POINTER (i + 1));
    }
  done = g_new0 (gboolean, MAX (total, 1));
  booked = g_new0 (gboolean, MAX (total, 1));

  for (guint j = 0; j < n_appointments; j++)
    {
      const DermDueAppointmentRow *a = &appointments[j];
      guint i = GPOINTER_TO_UINT (g_hash_table_lookup (index, &a->series_id));

      if (i-- == 0)
        continue;
      progress_add (series[i].sessions, a->session_index, a->kind, a->status, &a->day,
                    done + offsets[i], booked + offsets[i], &last_done[i]);
    }

  for (guint i = 0; i < n_series; i++)
    {
      const DermDueSeriesRow *s = &series[i];
      DermSeriesProgress progress;
      DermDueResult result = { 0 };

      if (s->status == DERM_SERIES_CANCELLED)
        continue;

      progress_from_flags (s, done + offsets[i], booked + offsets[i], NULL, &last_done[i], today, &progress);
      result.series = i;
      g_date_clear (&result.due_until, 1);

      if (progress.next_index > 0 && !progress.next_booked && g_date_valid (&progress.due_from))
        {
          result.session_index = progress.next_index;
          result.due_from = progress.due_from;
          result.due_until = progress.due_until;
          if (progress.overdue)
            result.kind = DERM_DUE_OVERDUE;
          else if (g_date_compare (&progress.due_from, &horizon) <= 0)
            result.kind = DERM_DUE_SOON;
          else
            continue;
          g_array_append_val (due, result);
        }
      else if (progress.follow_up_pending && !progress.follow_up_booked &&
               g_date_compare (&progress.follow_up_date, &horizon) <= 0)
        {
          result.kind = DERM_DUE_FOLLOW_UP;
          result.session_index = progress.sessions + 1;
          result.due_from = progress.follow_up_date;
          g_array_append_val (due, result);
        }
    }

  g_array_sort (due, compare_due_result);
  return g_steal_pointer (&due);
}

DermDueItem *
derm_planner_due_item_new (const DermDueResult *result,
                           DermSeries          *series)
{
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;

  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (DERM_IS_SERIES (series), NULL);

  from = format_date (&result->due_from);
  if (g_date_valid (&result->due_until))
    until = format_date (&result->due_until);
  return derm_due_item_new (result->kind, series, result->session_index, from, until);
}

GPtrArray *
derm_planner_list_due (GPtrArray   *series,
                       GPtrArray   *appointments,
                       const GDate *today,
                       guint        horizon_days)
{
  g_autoptr (GPtrArray) due = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) results = NULL;
  g_autofree DermDueSeriesRow *series_rows = NULL;
  g_autofree DermDueAppointmentRow *rows = NULL;

  g_return_val_if_fail (series != NULL, NULL);
  g_return_val_if_fail (appointments != NULL, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  series_rows = g_new (DermDueSeriesRow, MAX (series->len, 1));
  for (guint i = 0; i < series->len; i++)
    series_row_from_object (g_ptr_array_index (series, i), &series_rows[i]);

  rows = g_new0 (DermDueAppointmentRow, MAX (appointments->len, 1));
  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (appointments, i);

      rows[i].series_id = derm_appointment_get_series_id (a);
      rows[i].session_index = derm_appointment_get_session_index (a);
      rows[i].kind = derm_appointment_get_kind (a);
      rows[i].status = derm_appointment_get_status (a);
      if (!derm_appointment_get_local_date (a, &rows[i].day))
        g_date_clear (&rows[i].day, 1);
    }

  results = derm_planner_compute_due (series_rows, series->len, rows, appointments->len, today, horizon_days);
  for (guint i = 0; i < results->len; i++)
    {
      const DermDueResult *result = &g_array_index (results, DermDueResult, i);

      g_ptr_array_add (due, derm_planner_due_item_new (result, g_ptr_array_index (series, result->series)));
    }
  return g_steal_pointer (&due);
}
