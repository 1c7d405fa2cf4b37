/* derm-client.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-client.h"

struct _DermClient
{
  GObject       parent_instance;

  gint64        id;
  char         *name;
  char         *date_of_birth;
  char         *phone;
  char         *email;
  guint         fitzpatrick;
  DermConcerns  concerns;
  char         *goals;
  char         *notes;
  gboolean      archived;
  char         *created_at;
  char         *updated_at;
  char         *last_visit;
  char         *do_not_treat;

  /* Never NULL; rebuilt whenever name, phone or email change */
  char         *search_key;    /* built on first use; NULL until then */
};

G_DEFINE_FINAL_TYPE (DermClient, derm_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DATE_OF_BIRTH,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_FITZPATRICK,
  PROP_CONCERNS,
  PROP_GOALS,
  PROP_NOTES,
  PROP_ARCHIVED,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_LAST_VISIT,
  PROP_DO_NOT_TREAT,
  PROP_SEARCH_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Stores @value in @field, empty strings as NULL. Returns TRUE when the
 * stored value changed, so callers notify only on real change. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

/* Only digits, blanks and the punctuation people write phone numbers
 * with, and at least one separator between digits. */
static gboolean
looks_like_phone (const char *text)
{
  guint n_digits = 0;
  guint n_separators = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        n_digits++;
      else if (strchr (" +-.()/", *p) != NULL)
        n_separators++;
      else
        return FALSE;
    }

  return n_digits >= 2 && n_separators > 0;
}

static const char *
fold_undecomposed (gunichar c)
{
  switch (c)
    {
    case 0x00F8: return "o";   /* ø */
    case 0x00E6: return "ae";  /* æ */
    case 0x0153: return "oe";  /* œ */
    case 0x00DF: return "ss";  /* ß (casefolding already gives ss) */
    case 0x0142: return "l";   /* ł */
    case 0x0111: return "d";   /* đ */
    case 0x00F0: return "d";   /* ð */
    case 0x00FE: return "th";  /* þ */
    case 0x0131: return "i";   /* dotless ı */
    case 0x0127: return "h";   /* ħ */
    case 0x0167: return "t";   /* ŧ */
    default:     return NULL;
    }
}

char *
derm_fold_for_search (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *casefolded = NULL;
  g_autofree char *decomposed = NULL;
  GString *folded;

  if (text == NULL || text[0] == '\0')
    return g_strdup ("");

  /* Casefold before decomposing: casefolding can itself produce
   * combining marks ("İ" becomes "i" + U+0307), which must go too. */
  valid = g_utf8_make_valid (text, -1);
  casefolded = g_utf8_casefold (valid, -1);
  decomposed = g_utf8_normalize (casefolded, -1, G_NORMALIZE_NFKD);

  folded = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      const char *plain;

      if (g_unichar_combining_class (c) != 0 ||
          g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;

      /* Letters Unicode does not decompose into a base and a mark, as
       * people type them on a keyboard without them */
      plain = fold_undecomposed (c);
      if (plain != NULL)
        g_string_append (folded, plain);
      else
        g_string_append_unichar (folded, c);
    }

  /* An extra digits-only run, so "0612" finds "06 12 34 56 78" */
  if (looks_like_phone (folded->str))
    {
      gsize len = folded->len;

      g_string_append_c (folded, ' ');
      for (gsize i = 0; i < len; i++)
        if (g_ascii_isdigit (folded->str[i]))
          g_string_append_c (folded, folded->str[i]);
    }

  return g_string_free (folded, FALSE);
}

static char *
build_search_key (DermClient *self)
{
  const char *parts[] = { self->name, self->phone, self->email };
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *folded = NULL;

      if (parts[i] == NULL)
        continue;

      folded = derm_fold_for_search (parts[i]);
      if (key->len > 0)
        g_string_append_c (key, ' ');
      g_string_append (key, folded);
    }

  return g_string_free (key, FALSE);
}

/* The search key is built on first use, not by every setter: listing
 * 10,000 clients (dermis-cli client list) folded each name, phone and
 * e-mail three times for a key it never read. */
static const char *
ensure_search_key (DermClient *self)
{
  char *key = g_atomic_pointer_get (&self->search_key);

  if (key == NULL)
    {
      char *built = build_search_key (self);

      /* Two threads may build it at once; one copy wins */
      if (!g_atomic_pointer_compare_and_exchange (&self->search_key, NULL, built))
        g_free (built);
      key = g_atomic_pointer_get (&self->search_key);
    }
  return key;
}

static void
derm_client_update_search_key (DermClient *self)
{
  g_clear_pointer (&self->search_key, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_KEY]);
}

static void
derm_client_finalize (GObject *object)
{
  DermClient *self = (DermClient *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->date_of_birth, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->goals, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->created_at, g_free);
  g_clear_pointer (&self->updated_at, g_free);
  g_clear_pointer (&self->last_visit, g_free);
  g_clear_pointer (&self->do_not_treat, g_free);
  g_clear_pointer (&self->search_key, g_free);

  G_OBJECT_CLASS (derm_client_parent_class)->finalize (object);
}

static void
derm_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DermClient *self = DERM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DATE_OF_BIRTH:
      g_value_set_string (value, self->date_of_birth);
      break;

    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_FITZPATRICK:
      g_value_set_uint (value, self->fitzpatrick);
      break;

    case PROP_CONCERNS:
      g_value_set_flags (value, self->concerns);
      break;

    case PROP_GOALS:
      g_value_set_string (value, self->goals);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    case PROP_ARCHIVED:
      g_value_set_boolean (value, self->archived);
      break;

    case PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;

    case PROP_UPDATED_AT:
      g_value_set_string (value, self->updated_at);
      break;

    case PROP_LAST_VISIT:
      g_value_set_string (value, self->last_visit);
      break;

    case PROP_DO_NOT_TREAT:
      g_value_set_string (value, self->do_not_treat);
      break;

    case PROP_SEARCH_KEY:
      g_value_set_string (value, ensure_search_key (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DermClient *self = DERM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      derm_client_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_NAME:
      derm_client_set_name (self, g_value_get_string (value));
      break;

    case PROP_DATE_OF_BIRTH:
      derm_client_set_date_of_birth (self, g_value_get_string (value));
      break;

    case PROP_PHONE:
      derm_client_set_phone (self, g_value_get_string (value));
      break;

    case PROP_EMAIL:
      derm_client_set_email (self, g_value_get_string (value));
      break;

    case PROP_FITZPATRICK:
      derm_client_set_fitzpatrick (self, g_value_get_uint (value));
      break;

    case PROP_CONCERNS:
      derm_client_set_concerns (self, g_value_get_flags (value));
      break;

    case PROP_GOALS:
      derm_client_set_goals (self, g_value_get_string (value));
      break;

    case PROP_NOTES:
      derm_client_set_notes (self, g_value_get_string (value));
      break;

    case PROP_ARCHIVED:
      derm_client_set_archived (self, g_value_get_boolean (value));
      break;

    case PROP_CREATED_AT:
      derm_client_set_created_at (self, g_value_get_string (value));
      break;

    case PROP_UPDATED_AT:
      derm_client_set_updated_at (self, g_value_get_string (value));
      break;

    case PROP_LAST_VISIT:
      derm_client_set_last_visit (self, g_value_get_string (value));
      break;

    case PROP_DO_NOT_TREAT:
      derm_client_set_do_not_treat (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_class_init (DermClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_client_finalize;
  object_class->get_property = derm_client_get_property;
  object_class->set_property = derm_client_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_DATE_OF_BIRTH] =
    g_param_spec_string ("date-of-birth", NULL, NULL, NULL, rw);
  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL, NULL, rw);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, rw);
  properties[PROP_FITZPATRICK] =
    g_param_spec_uint ("fitzpatrick", NULL, NULL,
                       DERM_FITZPATRICK_UNSET, DERM_FITZPATRICK_MAX,
                       DERM_FITZPATRICK_UNSET, rw);
  properties[PROP_CONCERNS] =
    g_param_spec_flags ("concerns", NULL, NULL,
                        DERM_TYPE_CONCERNS, DERM_CONCERN_NONE, rw);
  properties[PROP_GOALS] =
    g_param_spec_string ("goals", NULL, NULL, NULL, rw);
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, NULL, rw);
  properties[PROP_ARCHIVED] =
    g_param_spec_boolean ("archived", NULL, NULL, FALSE, rw);
  properties[PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL, NULL, rw);
  properties[PROP_UPDATED_AT] =
    g_param_spec_string ("updated-at", NULL, NULL, NULL, rw);
  properties[PROP_LAST_VISIT] =
    g_param_spec_string ("last-visit", NULL, NULL, NULL, rw);
  properties[PROP_DO_NOT_TREAT] =
    g_param_spec_string ("do-not-treat", NULL, NULL, NULL, rw);
  properties[PROP_SEARCH_KEY] =
    g_param_spec_string ("search-key", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_client_init (DermClient *self)
{
  self->search_key = NULL;
}

DermClient *
derm_client_new (void)
{
  return g_object_new (DERM_TYPE_CLIENT, NULL);
}

/**
 * derm_client_copy:
 * @self: a #DermClient
 *
 * Returns: (transfer full): a new client with every field of @self,
 *   including its id and timestamps
 */
DermClient *
derm_client_copy (DermClient *self)
{
  DermClient *copy;

  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  copy = derm_client_new ();
  copy->id = self->id;
  copy->name = g_strdup (self->name);
  copy->date_of_birth = g_strdup (self->date_of_birth);
  copy->phone = g_strdup (self->phone);
  copy->email = g_strdup (self->email);
  copy->fitzpatrick = self->fitzpatrick;
  copy->concerns = self->concerns;
  copy->goals = g_strdup (self->goals);
  copy->notes = g_strdup (self->notes);
  copy->archived = self->archived;
  copy->created_at = g_strdup (self->created_at);
  copy->updated_at = g_strdup (self->updated_at);
  copy->last_visit = g_strdup (self->last_visit);
  copy->do_not_treat = g_strdup (self->do_not_treat);
  g_free (copy->search_key);
  copy->search_key = g_strdup (g_atomic_pointer_get (&self->search_key));

  return copy;
}

gint64
derm_client_get_id (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), 0);

  return self->id;
}

void
derm_client_set_id (DermClient *self,
                    gint64      id)
{
  g_return_if_fail (DERM_IS_CLIENT (self));
  g_return_if_fail (id >= 0);

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

const char *
derm_client_get_name (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->name;
}

void
derm_client_set_name (DermClient *self,
                      const char *name)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->name, name))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
      derm_client_update_search_key (self);
    }
}

const char *
derm_client_get_date_of_birth (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->date_of_birth;
}

void
derm_client_set_date_of_birth (DermClient *self,
                               const char *date)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->date_of_birth, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE_OF_BIRTH]);
}

const char *
derm_client_get_phone (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->phone;
}

void
derm_client_set_phone (DermClient *self,
                       const char *phone)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->phone, phone))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE]);
      derm_client_update_search_key (self);
    }
}

const char *
derm_client_get_email (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->email;
}

void
derm_client_set_email (DermClient *self,
                       const char *email)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->email, email))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
      derm_client_update_search_key (self);
    }
}

guint
derm_client_get_fitzpatrick (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), DERM_FITZPATRICK_UNSET);

  return self->fitzpatrick;
}

void
derm_client_set_fitzpatrick (DermClient *self,
                             guint       type)
{
  g_return_if_fail (DERM_IS_CLIENT (self));
  g_return_if_fail (type <= DERM_FITZPATRICK_MAX);

  if (self->fitzpatrick != type)
    {
      self->fitzpatrick = type;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FITZPATRICK]);
    }
}

DermConcerns
derm_client_get_concerns (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), DERM_CONCERN_NONE);

  return self->concerns;
}

void
derm_client_set_concerns (DermClient   *self,
                          DermConcerns  concerns)
{
  g_return_if_fail (DERM_IS_CLIENT (self));
  g_return_if_fail ((concerns & ~DERM_CONCERN_ALL) == 0);

  if (self->concerns != concerns)
    {
      self->concerns = concerns;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONCERNS]);
    }
}

const char *
derm_client_get_goals (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->goals;
}

void
derm_client_set_goals (DermClient *self,
                       const char *goals)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->goals, goals))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GOALS]);
}

const char *
derm_client_get_notes (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->notes;
}

void
derm_client_set_notes (DermClient *self,
                       const char *notes)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->notes, notes))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

gboolean
derm_client_get_archived (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), FALSE);

  return self->archived;
}

void
derm_client_set_archived (DermClient *self,
                          gboolean    archived)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  archived = !!archived;

  if (self->archived != archived)
    {
      self->archived = archived;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARCHIVED]);
    }
}

const char *
derm_client_get_created_at (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->created_at;
}

void
derm_client_set_created_at (DermClient *self,
                            const char *timestamp)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->created_at, timestamp))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

const char *
derm_client_get_updated_at (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->updated_at;
}

void
derm_client_set_updated_at (DermClient *self,
                            const char *timestamp)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->updated_at, timestamp))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

const char *
derm_client_get_last_visit (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->last_visit;
}

void
derm_client_set_last_visit (DermClient *self,
                            const char *date)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->last_visit, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_VISIT]);
}

const char *
derm_client_get_do_not_treat (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), NULL);

  return self->do_not_treat;
}

void
derm_client_set_do_not_treat (DermClient *self,
                              const char *reason)
{
  g_return_if_fail (DERM_IS_CLIENT (self));

  if (set_string (&self->do_not_treat, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DO_NOT_TREAT]);
}

const char *
derm_client_get_search_key (DermClient *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT (self), "");

  return ensure_search_key (self);
}

/**
 * derm_client_matches:
 * @self: a #DermClient
 * @folded_query: (nullable): a query already passed through
 *   derm_fold_for_search()
 *
 * Runs for every client on every keystroke, so it allocates nothing
 * (once the search key is built, on the first call).
 *
 * Returns: %TRUE when every word of @folded_query occurs in the search key
 */
gboolean
derm_client_matches (DermClient *self,
                     const char *folded_query)
{
  const char *p = folded_query;
  const char *key = NULL;
  gsize key_len = 0;

  g_return_val_if_fail (DERM_IS_CLIENT (self), FALSE);

  if (p == NULL)
    return TRUE;

  for (;;)
    {
      const char *word;

      while (*p != '\0' && g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        return TRUE;

      word = p;
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;

      /* An empty query matches without building the key */
      if (key == NULL)
        {
          key = ensure_search_key (self);
          key_len = strlen (key);
        }
      if (memmem (key, key_len, word, p - word) == NULL)
        return FALSE;
    }
}

/* Folded name with its words separated by single spaces */
static char *
duplicate_name_key (const char *name)
{
  g_autofree char *folded = derm_fold_for_search (name);
  g_auto (GStrv) words = g_strsplit_set (folded, " \t\n", -1);
  g_autoptr (GString) key = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        if (key->len > 0)
          g_string_append_c (key, ' ');
        g_string_append (key, words[i]);
      }

  return g_string_free (g_steal_pointer (&key), FALSE);
}

static char *
phone_digits (const char *phone)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = phone != NULL ? phone : ""; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  return g_string_free (digits, FALSE);
}

/* The digits of @phone; *@international when it starts with "+" or "00"
 * (then without the "00"), the country code leading */
static char *
phone_number (const char *phone,
              gboolean   *international)
{
  g_autofree char *digits = phone_digits (phone);
  const char *p = phone != NULL ? phone : "";

  while (g_ascii_isspace (*p))
    p++;
  *international = *p == '+' || g_str_has_prefix (digits, "00");
  if (g_str_has_prefix (digits, "00"))
    return g_strdup (digits + 2);
  return g_steal_pointer (&digits);
}

static gboolean
same_phone (const char *a,
            const char *b)
{
  gboolean a_international;
  gboolean b_international;
  g_autofree char *x = phone_number (a, &a_international);
  g_autofree char *y = phone_number (b, &b_international);
  const char *national;
  const char *full;
  size_t n_national;
  size_t n_full;

  /* Too short to tell one person from another */
  if (strlen (x) < 6 || strlen (y) < 6)
    return FALSE;
  if (a_international == b_international)
    return strcmp (x, y) == 0;

  /* "+49 170 1234567" and "0170 1234567": the national number, less its
   * trunk 0, follows a country code of one to three digits. Without a
   * trunk 0 the country is unknown: "612 345 678" is a Spanish mobile
   * (+34), not "+33 6 12 34 56 78", so such a number only matches
   * itself */
  full = a_international ? x : y;
  national = a_international ? y : x;
  if (*national != '0')
    return FALSE;
  national++;
  n_national = strlen (national);
  n_full = strlen (full);
  return n_national >= 6 && n_full > n_national && n_full - n_national <= 3 &&
         strcmp (full + n_full - n_national, national) == 0;
}

static gboolean
same_email (const char *a,
            const char *b)
{
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  x = g_strstrip (g_utf8_casefold (a, -1));
  y = g_strstrip (g_utf8_casefold (b, -1));

  return *x != '\0' && strchr (x, '@') != NULL && strcmp (x, y) == 0;
}

DermDuplicateReason
derm_client_duplicate_reason (DermClient *a,
                              DermClient *b)
{
  g_return_val_if_fail (DERM_IS_CLIENT (a), DERM_DUPLICATE_NONE);
  g_return_val_if_fail (DERM_IS_CLIENT (b), DERM_DUPLICATE_NONE);

  if (a->date_of_birth != NULL && g_strcmp0 (a->date_of_birth, b->date_of_birth) == 0)
    {
      g_autofree char *x = duplicate_name_key (a->name);
      g_autofree char *y = duplicate_name_key (b->name);

      if (*x != '\0' && strcmp (x, y) == 0)
        return DERM_DUPLICATE_NAME_AND_BIRTH;
    }
  if (same_phone (a->phone, b->phone))
    return DERM_DUPLICATE_PHONE;
  if (same_email (a->email, b->email))
    return DERM_DUPLICATE_EMAIL;

  return DERM_DUPLICATE_NONE;
}

char *
derm_client_describe_duplicate (DermClient          *existing,
                                DermDuplicateReason  reason)
{
  g_autofree char *who = NULL;
  const char *name;
  const char *why;

  g_return_val_if_fail (DERM_IS_CLIENT (existing), NULL);
  g_return_val_if_fail (reason != DERM_DUPLICATE_NONE, NULL);

  name = existing->name != NULL ? existing->name : "";
  if (existing->date_of_birth != NULL)
    /* Translators: "Zoë Müller (born 1990-06-01, client 12)" */
    who = g_strdup_printf (_("%s (born %s, client %lld)"), name, existing->date_of_birth,
                           (long long) existing->id);
  else
    /* Translators: "Zoë Müller (client 12)" */
    who = g_strdup_printf (_("%s (client %lld)"), name, (long long) existing->id);

  if (reason == DERM_DUPLICATE_PHONE)
    why = _("the same phone number");
  else if (reason == DERM_DUPLICATE_EMAIL)
    why = _("the same email address");
  else
    why = _("the same name and date of birth");

  /* Translators: "Possible duplicate of Zoë Müller (client 12): the same phone number" */
  return g_strdup_printf (_("Possible duplicate of %s: %s"), who, why);
}
