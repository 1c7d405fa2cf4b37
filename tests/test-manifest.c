/* test-manifest.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The packaging metadata agrees with itself, the build and the runtime: the
 * Flatpak manifests keep their sandbox narrow and their sources pinned and
 * watched, every dependency() meson asks for is provided by the runtime (as
 * tests/flatpak-runtime.txt records it from the runtime's build recipes) or
 * by a module of the manifest, OpenCV builds only what imaging/ uses, and
 * the desktop file, the metainfo and the icons carry the same application id.
 */

#define G_LOG_DOMAIN "test-manifest"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#define MANIFEST_PATH "flatpak/" APPLICATION_ID ".json"

/* The meson files of everything the Flatpak builds; tests/ is left out on
 * purpose because the manifest configures with -Dtests=false. */
static const char * const built_meson_files[] = {
  "meson.build",
  "imaging/meson.build",
  "app/meson.build",
  "ui/meson.build",
  "resources/meson.build",
  "po/meson.build",
};

/* Dependencies meson resolves by itself, without pkg-config. */
static const char * const meson_builtin_dependencies[] = {
  "threads",
  "dl",
  "iconv",
  "intl",
  "openmp",
};

static const char * const allowed_finish_args[] = {
  "--share=ipc",
  "--socket=fallback-x11",
  "--socket=wayland",
  "--device=dri",
};

static char *
source_path (const char *relative)
{
  const char *root = g_getenv ("DERMIS_SOURCE_DIR");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

static char *
read_source_file (const char *relative)
{
  g_autofree char *path = source_path (relative);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static JsonParser *
load_json (const char *relative)
{
  g_autofree char *path = source_path (relative);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return g_steal_pointer (&parser);
}

static JsonObject *
manifest_root (JsonParser *parser)
{
  return json_node_get_object (json_parser_get_root (parser));
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
object_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

/* Every string of @array, asserting that it holds nothing else. */
static GPtrArray *
string_array (JsonArray *array)
{
  GPtrArray *strings = g_ptr_array_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      g_assert_true (JSON_NODE_HOLDS_VALUE (node));
      g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
      g_ptr_array_add (strings, (gpointer) json_node_get_string (node));
    }
  return strings;
}

static gboolean
strv_contains (const char * const *strv,
               gsize               n,
               const char         *needle)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (strv[i], needle) == 0)
      return TRUE;
  return FALSE;
}

/* Modules may nest, and a module may be the name of another JSON file
 * next to the manifest; both are followed so nothing escapes the checks. */
static void
collect_modules (JsonArray *modules,
                 GPtrArray *out,
                 GPtrArray *keep_alive)
{
  for (guint i = 0; modules != NULL && i < json_array_get_length (modules); i++)
    {
      JsonNode *node = json_array_get_element (modules, i);
      JsonObject *module;

      if (JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *relative = g_build_filename ("flatpak", json_node_get_string (node), NULL);
          JsonParser *parser = load_json (relative);

          g_ptr_array_add (keep_alive, parser);
          module = manifest_root (parser);
        }
      else
        {
          g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
          module = json_node_get_object (node);
        }

      g_assert_nonnull (object_string (module, "name"));
      g_ptr_array_add (out, module);
      collect_modules (object_array (module, "modules"), out, keep_alive);
    }
}

/* The manifest built from this tree, and the one for a Flathub submission,
 * which takes Dermis from git at a commit and must agree on the rest. */
#define FLATHUB_MANIFEST_PATH "flatpak/flathub/" APPLICATION_ID ".json"
static const char * const manifest_paths[] = { MANIFEST_PATH, FLATHUB_MANIFEST_PATH };

/* What the runtime provides, in tests/flatpak-runtime.txt */
#define RUNTIME_DATA_PATH "tests/flatpak-runtime.txt"

typedef struct
{
  JsonParser *parser;
  JsonObject *root;
  GPtrArray  *modules;     /* JsonObject *, flattened */
  GPtrArray  *keep_alive;  /* JsonParser * of included module files */
} Manifest;

static void
manifest_load (Manifest   *manifest,
               const char *path)
{
  manifest->parser = load_json (path);
  manifest->root = manifest_root (manifest->parser);
  manifest->modules = g_ptr_array_new ();
  manifest->keep_alive = g_ptr_array_new_with_free_func (g_object_unref);
  collect_modules (object_array (manifest->root, "modules"),
                   manifest->modules, manifest->keep_alive);
  g_assert_cmpuint (manifest->modules->len, >, 0);
}

static void
manifest_clear (Manifest *manifest)
{
  g_clear_pointer (&manifest->modules, g_ptr_array_unref);
  g_clear_pointer (&manifest->keep_alive, g_ptr_array_unref);
  g_clear_object (&manifest->parser);
}

/* "id", or the older spelling "app-id" that flatpak-builder still reads. */
static const char *
manifest_app_id (Manifest *manifest)
{
  const char *id = object_string (manifest->root, "id");

  return id != NULL ? id : object_string (manifest->root, "app-id");
}

static JsonObject *
manifest_find_module (Manifest   *manifest,
                      const char *name)
{
  for (guint i = 0; i < manifest->modules->len; i++)
    {
      JsonObject *module = g_ptr_array_index (manifest->modules, i);

      if (g_strcmp0 (object_string (module, "name"), name) == 0)
        return module;
    }
  return NULL;
}

typedef struct
{
  char       *runtime;
  char       *branch;
  char       *cmake_version;
  GHashTable *pkg_config;  /* name -> version */
  GHashTable *absent;      /* name -> where that comes from */
} RuntimeData;

static void
runtime_data_clear (RuntimeData *data)
{
  g_clear_pointer (&data->runtime, g_free);
  g_clear_pointer (&data->branch, g_free);
  g_clear_pointer (&data->cmake_version, g_free);
  g_clear_pointer (&data->pkg_config, g_hash_table_unref);
  g_clear_pointer (&data->absent, g_hash_table_unref);
}

/* Lines of "KIND NAME VERSION SOURCE...", '#' starts a comment line. Every
 * fact must say where it comes from. */
static void
runtime_data_parse (RuntimeData *data,
                    const char  *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  data->pkg_config = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  data->absent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_auto (GStrv) fields = NULL;
      g_autoptr (GPtrArray) words = g_ptr_array_new ();
      g_autofree char *source = NULL;

      if (*line == '\0' || *line == '#')
        continue;
      fields = g_strsplit_set (line, " \t", -1);
      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0')
          g_ptr_array_add (words, fields[j]);
      if (words->len < 4)
        {
          g_test_fail_printf ("%s: line %u has no source: %s", RUNTIME_DATA_PATH, i + 1, line);
          continue;
        }
      g_ptr_array_add (words, NULL);
      source = g_strjoinv (" ", (char **) words->pdata + 3);

      if (g_str_equal (words->pdata[0], "runtime"))
        {
          g_free (data->runtime);
          g_free (data->branch);
          data->runtime = g_strdup (words->pdata[1]);
          data->branch = g_strdup (words->pdata[2]);
        }
      else if (g_str_equal (words->pdata[0], "tool") && g_str_equal (words->pdata[1], "cmake"))
        {
          g_free (data->cmake_version);
          data->cmake_version = g_strdup (words->pdata[2]);
        }
      else if (g_str_equal (words->pdata[0], "pkg-config"))
        g_hash_table_replace (data->pkg_config, g_strdup (words->pdata[1]), g_strdup (words->pdata[2]));
      else if (g_str_equal (words->pdata[0], "absent"))
        g_hash_table_replace (data->absent, g_strdup (words->pdata[1]), g_steal_pointer (&source));
      else
        g_test_fail_printf ("%s: line %u: unknown kind %s", RUNTIME_DATA_PATH, i + 1,
                            (const char *) words->pdata[0]);
    }
}

static void
runtime_data_load (RuntimeData *data)
{
  g_autofree char *text = read_source_file (RUNTIME_DATA_PATH);

  runtime_data_parse (data, text);
  g_assert_nonnull (data->runtime);
  g_assert_nonnull (data->cmake_version);
  g_assert_cmpuint (g_hash_table_size (data->pkg_config), >, 0);
}

/* Dotted version comparison: "4.22.4" against "4.8" */
static int
version_compare (const char *a,
                 const char *b)
{
  g_auto (GStrv) pa = g_strsplit (a, ".", -1);
  g_auto (GStrv) pb = g_strsplit (b, ".", -1);

  for (guint i = 0; pa[i] != NULL || pb[i] != NULL; i++)
    {
      guint64 va = pa[i] != NULL ? g_ascii_strtoull (pa[i], NULL, 10) : 0;
      guint64 vb = pb[i] != NULL ? g_ascii_strtoull (pb[i], NULL, 10) : 0;

      if (va != vb)
        return va < vb ? -1 : 1;
      if (pa[i] == NULL || pb[i] == NULL)
        {
          /* Shorter list: the rest counts as zeros. */
          for (guint j = i + 1; pa[i] != NULL && pa[j] != NULL; j++)
            if (g_ascii_strtoull (pa[j], NULL, 10) != 0)
              return 1;
          for (guint j = i + 1; pb[i] != NULL && pb[j] != NULL; j++)
            if (g_ascii_strtoull (pb[j], NULL, 10) != 0)
              return -1;
          return 0;
        }
    }
  return 0;
}

/* Every pkg-config name the build can find: the runtime's, from the data
 * file (name -> version), and each module's x-provides (name -> ""). A
 * module's own build wins over the runtime's copy, as /app comes first. */
static GHashTable *
build_provides (Manifest    *manifest,
                RuntimeData *runtime)
{
  GHashTable *provides = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer name, version;

  g_hash_table_iter_init (&iter, runtime->pkg_config);
  while (g_hash_table_iter_next (&iter, &name, &version))
    g_hash_table_insert (provides, name, version);

  for (guint i = 0; i < manifest->modules->len; i++)
    {
      JsonObject *module = g_ptr_array_index (manifest->modules, i);
      g_autoptr (GPtrArray) module_names = string_array (object_array (module, "x-provides"));

      for (guint j = 0; j < module_names->len; j++)
        g_hash_table_insert (provides, g_ptr_array_index (module_names, j), (gpointer) "");
    }
  return provides;
}

/* Meson comments start with '#' outside a string; a dependency named only
 * in a comment must not count. */
static char *
strip_meson_comments (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean in_string = FALSE;
  gboolean in_comment = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (in_comment)
        {
          if (*p == '\n')
            {
              in_comment = FALSE;
              g_string_append_c (out, '\n');
            }
          continue;
        }
      if (in_string && *p == '\\' && p[1] != '\0')
        {
          g_string_append_c (out, *p);
          g_string_append_c (out, *++p);
          continue;
        }
      if (*p == '\'')
        in_string = !in_string;
      else if (*p == '#' && !in_string)
        {
          in_comment = TRUE;
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  char *name;
  char *minimum;  /* from version: '>= X', or NULL */
} MesonDependency;

static void
meson_dependency_free (gpointer data)
{
  MesonDependency *dep = data;

  g_free (dep->name);
  g_free (dep->minimum);
  g_free (dep);
}

/* The dependency() calls in @meson_text, in order, once per name, with the
 * '>=' version meson asks for. */
static GPtrArray *
meson_dependencies (const char *meson_text)
{
  g_autoptr (GRegex) regex = NULL;
  g_autoptr (GMatchInfo) match = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *code = strip_meson_comments (meson_text);
  GPtrArray *deps = g_ptr_array_new_with_free_func (meson_dependency_free);

  regex = g_regex_new ("(?<![A-Za-z0-9_.])dependency\\s*\\(\\s*'([^']+)'"
                       "(?:[^()]*?version\\s*:\\s*'>=\\s*([0-9.]+)')?", 0, 0, &error);
  g_assert_no_error (error);

  g_regex_match (regex, code, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      g_autofree char *minimum = g_match_info_fetch (match, 2);
      gboolean seen = FALSE;

      for (guint i = 0; i < deps->len; i++)
        if (g_str_equal (((MesonDependency *) g_ptr_array_index (deps, i))->name, name))
          seen = TRUE;
      if (!seen)
        {
          MesonDependency *dep = g_new0 (MesonDependency, 1);

          dep->name = g_steal_pointer (&name);
          dep->minimum = minimum != NULL && *minimum != '\0' ? g_steal_pointer (&minimum) : NULL;
          g_ptr_array_add (deps, dep);
        }
      g_match_info_next (match, NULL);
    }
  return deps;
}

/* The dependencies in @meson_text that @provides does not cover, or covers
 * only with a runtime version below meson's minimum, joined by spaces, or
 * NULL when all are covered. */
static char *
uncovered_dependencies (const char *meson_text,
                        GHashTable *provides)
{
  g_autoptr (GPtrArray) deps = meson_dependencies (meson_text);
  g_autoptr (GString) missing = g_string_new (NULL);

  for (guint i = 0; i < deps->len; i++)
    {
      MesonDependency *dep = g_ptr_array_index (deps, i);
      const char *version = g_hash_table_lookup (provides, dep->name);

      if (strv_contains (meson_builtin_dependencies,
                         G_N_ELEMENTS (meson_builtin_dependencies), dep->name))
        continue;
      if (version != NULL &&
          (*version == '\0' || dep->minimum == NULL || version_compare (version, dep->minimum) >= 0))
        continue;
      if (missing->len > 0)
        g_string_append_c (missing, ' ');
      g_string_append (missing, dep->name);
      if (version != NULL)
        g_string_append_printf (missing, " (runtime has %s, meson wants >= %s)", version, dep->minimum);
    }
  if (missing->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&missing), FALSE);
}

/* CMake cache options as the last -D assignment of each variable wins:
 * "-DNAME=V", "-DNAME:TYPE=V" and "-D NAME=V" all count. */
static GHashTable *
cmake_options (GPtrArray *config_opts)
{
  GHashTable *options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < config_opts->len; i++)
    {
      const char *opt = g_ptr_array_index (config_opts, i);
      const char *assignment;
      const char *eq;
      g_autofree char *name = NULL;
      char *colon;

      if (!g_str_has_prefix (opt, "-D"))
        continue;
      assignment = opt + 2;
      while (*assignment == ' ')
        assignment++;
      eq = strchr (assignment, '=');
      if (eq == NULL)
        continue;
      name = g_strndup (assignment, eq - assignment);
      colon = strchr (name, ':');
      if (colon != NULL)
        *colon = '\0';
      g_hash_table_replace (options, g_steal_pointer (&name), g_strdup (eq + 1));
    }
  return options;
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static void
test_manifest_identity (void)
{
  for (gsize m = 0; m < G_N_ELEMENTS (manifest_paths); m++)
    {
      Manifest manifest = { 0 };

      manifest_load (&manifest, manifest_paths[m]);
      g_assert_cmpstr (manifest_app_id (&manifest), ==, APPLICATION_ID);
      g_assert_cmpstr (object_string (manifest.root, "command"), ==, "dermis");
      g_assert_cmpstr (object_string (manifest.root, "sdk"), ==, "org.gnome.Sdk");
      manifest_clear (&manifest);
    }
}

/* The runtime named is the one the data file describes, a GNOME release
 * that is still supported (49 or later), and the manifest makes no claims
 * of its own about what the runtime provides. */
static void
test_manifest_runtime (void)
{
  RuntimeData runtime = { 0 };

  runtime_data_load (&runtime);
  for (gsize m = 0; m < G_N_ELEMENTS (manifest_paths); m++)
    {
      Manifest manifest = { 0 };
      const char *version;
      guint64 major = 0;
      g_autoptr (GError) error = NULL;

      manifest_load (&manifest, manifest_paths[m]);
      g_assert_cmpstr (object_string (manifest.root, "runtime"), ==, runtime.runtime);

      /* A string: "50" and 50 mean different things to flatpak-builder. */
      version = object_string (manifest.root, "runtime-version");
      g_assert_nonnull (version);
      g_assert_cmpstr (version, ==, runtime.branch);
      g_ascii_string_to_unsigned (version, 10, 0, G_MAXUINT, &major, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (major, >=, 49);

      for (GList *l = json_object_get_members (manifest.root); l != NULL; l = g_list_delete_link (l, l))
        if (strstr (l->data, "runtime-provides") != NULL)
          g_test_fail_printf ("%s: %s claims what the runtime provides; that belongs in %s",
                              manifest_paths[m], (const char *) l->data, RUNTIME_DATA_PATH);
      manifest_clear (&manifest);
    }
  runtime_data_clear (&runtime);
}

static void
test_manifest_finish_args (void)
{
  for (gsize m = 0; m < G_N_ELEMENTS (manifest_paths); m++)
    {
      Manifest manifest = { 0 };
      g_autoptr (GPtrArray) args = NULL;
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      manifest_load (&manifest, manifest_paths[m]);
      args = string_array (object_array (manifest.root, "finish-args"));

      for (guint i = 0; i < args->len; i++)
        {
          const char *arg = g_ptr_array_index (args, i);

          /* Files come and go through the portals, never by path. */
          if (g_str_has_prefix (arg, "--filesystem"))
            g_test_fail_printf ("finish-args grants file system access: %s", arg);
          else if (!strv_contains (allowed_finish_args, G_N_ELEMENTS (allowed_finish_args), arg))
            g_test_fail_printf ("finish-args has a permission that is not on the allowed list: %s", arg);
          else if (!g_hash_table_add (seen, (gpointer) arg))
            g_test_fail_printf ("finish-args repeats %s", arg);
        }
      for (gsize i = 0; i < G_N_ELEMENTS (allowed_finish_args); i++)
        if (!g_hash_table_contains (seen, allowed_finish_args[i]))
          g_test_fail_printf ("finish-args lacks %s", allowed_finish_args[i]);
      manifest_clear (&manifest);
    }
}

/* Every remote source is pinned (sha256 or commit), fetched over https and
 * watched by flatpak-external-data-checker; only the local manifest may
 * build Dermis from this directory. */
static void
test_manifest_sources_pinned (void)
{
  for (gsize m = 0; m < G_N_ELEMENTS (manifest_paths); m++)
    {
      Manifest manifest = { 0 };
      guint remote = 0;

      manifest_load (&manifest, manifest_paths[m]);
      for (guint i = 0; i < manifest.modules->len; i++)
        {
          JsonObject *module = g_ptr_array_index (manifest.modules, i);
          JsonArray *sources = object_array (module, "sources");
          const char *module_name = object_string (module, "name");

          g_assert_nonnull (sources);
          for (guint j = 0; j < json_array_get_length (sources); j++)
            {
              JsonNode *node = json_array_get_element (sources, j);
              JsonObject *source;
              JsonNode *checker;
              const char *type;
              const char *url;

              g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
              source = json_node_get_object (node);
              type = object_string (source, "type");
              url = object_string (source, "url");
              g_assert_nonnull (type);

              if (g_str_equal (type, "dir"))
                {
                  if (m != 0 || !g_str_equal (module_name, "dermis"))
                    g_test_fail_printf ("%s: module %s has a dir source, which Flathub refuses",
                                        manifest_paths[m], module_name);
                  continue;
                }

              if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
                {
                  if (!is_sha256 (object_string (source, "sha256")))
                    g_test_fail_printf ("module %s: %s source %s has no 64-digit sha256",
                                        module_name, type, url != NULL ? url : object_string (source, "path"));
                }
              else if (g_str_equal (type, "git"))
                {
                  const char *commit = object_string (source, "commit");

                  if (commit == NULL || strlen (commit) != 40)
                    g_test_fail_printf ("module %s: git source is not pinned to a commit", module_name);
                }
              else
                g_test_fail_printf ("module %s: unexpected source type %s", module_name, type);

              if (url == NULL || !g_str_has_prefix (url, "https://"))
                g_test_fail_printf ("module %s: %s is not fetched over https", module_name,
                                    url != NULL ? url : "(no url)");
              checker = json_object_get_member (source, "x-checker-data");
              if (checker == NULL || !JSON_NODE_HOLDS_OBJECT (checker) ||
                  object_string (json_node_get_object (checker), "type") == NULL)
                g_test_fail_printf ("%s: module %s: source %s has no x-checker-data",
                                    manifest_paths[m], module_name, url != NULL ? url : type);
              remote++;
            }
        }
      g_assert_cmpuint (remote, >=, manifest.modules->len - 1);
      manifest_clear (&manifest);
    }
}

/* The Flathub variant takes Dermis from git at a commit and is otherwise
 * the same manifest, so what the tests check of one holds for the other. */
static void
test_manifest_flathub_variant (void)
{
  Manifest local = { 0 };
  Manifest flathub = { 0 };
  JsonObject *dermis;
  JsonArray *sources;
  JsonObject *source;
  g_autoptr (GList) members = NULL;

  manifest_load (&local, MANIFEST_PATH);
  manifest_load (&flathub, FLATHUB_MANIFEST_PATH);

  members = json_object_get_members (local.root);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *a = json_object_get_member (local.root, l->data);
      JsonNode *b = json_object_get_member (flathub.root, l->data);

      if (g_str_equal (l->data, "modules"))
        continue;
      if (b == NULL || !json_node_equal (a, b))
        g_test_fail_printf ("%s differs in %s from %s", FLATHUB_MANIFEST_PATH,
                            (const char *) l->data, MANIFEST_PATH);
    }
  g_assert_cmpuint (json_object_get_size (flathub.root), ==, json_object_get_size (local.root));

  g_assert_cmpuint (flathub.modules->len, ==, local.modules->len);
  for (guint i = 0; i + 1 < local.modules->len; i++)
    {
      g_autoptr (JsonNode) a = json_node_init_object (json_node_alloc (), g_ptr_array_index (local.modules, i));
      g_autoptr (JsonNode) b = json_node_init_object (json_node_alloc (), g_ptr_array_index (flathub.modules, i));

      if (!json_node_equal (a, b))
        g_test_fail_printf ("%s: module %s differs from %s", FLATHUB_MANIFEST_PATH,
                            object_string (g_ptr_array_index (local.modules, i), "name"), MANIFEST_PATH);
    }

  dermis = g_ptr_array_index (flathub.modules, flathub.modules->len - 1);
  g_assert_cmpstr (object_string (dermis, "name"), ==, "dermis");
  sources = object_array (dermis, "sources");
  g_assert_nonnull (sources);
  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  source = json_array_get_object_element (sources, 0);
  g_assert_cmpstr (object_string (source, "type"), ==, "git");
  g_assert_cmpuint (strlen (object_string (source, "commit")), ==, 40);

  manifest_clear (&local);
  manifest_clear (&flathub);
}

/* CMake 4 dropped compatibility with projects that ask for less than 3.5;
 * CMAKE_POLICY_VERSION_MINIMUM brings it back for any module, or bundled
 * third-party code inside one, that still does. */
static void
test_manifest_cmake_modules (void)
{
  RuntimeData runtime = { 0 };
  Manifest manifest = { 0 };
  guint cmake_modules = 0;

  runtime_data_load (&runtime);
  manifest_load (&manifest, MANIFEST_PATH);
  for (guint i = 0; i < manifest.modules->len; i++)
    {
      JsonObject *module = g_ptr_array_index (manifest.modules, i);
      const char *buildsystem = object_string (module, "buildsystem");
      g_autoptr (GPtrArray) config_opts = NULL;
      g_autoptr (GHashTable) options = NULL;
      const char *policy;

      if (g_strcmp0 (buildsystem, "cmake") != 0 && g_strcmp0 (buildsystem, "cmake-ninja") != 0)
        continue;
      cmake_modules++;
      config_opts = string_array (object_array (module, "config-opts"));
      options = cmake_options (config_opts);
      policy = g_hash_table_lookup (options, "CMAKE_POLICY_VERSION_MINIMUM");
      if (version_compare (runtime.cmake_version, "4") >= 0 &&
          (policy == NULL || version_compare (policy, "3.5") < 0))
        g_test_fail_printf ("module %s: the SDK's CMake is %s, and -DCMAKE_POLICY_VERSION_MINIMUM "
                            "is %s, not 3.5 or later", object_string (module, "name"),
                            runtime.cmake_version, policy != NULL ? policy : "unset");
    }
  g_assert_cmpuint (cmake_modules, >, 0);
  manifest_clear (&manifest);
  runtime_data_clear (&runtime);
}

/* OpenCV modules and the ones each needs, from the ocv_define_module()
 * lines of OpenCV 4.12 (and opencv_contrib 4.12 for mcc). */
static const struct { const char *module; const char *needs; } opencv_module_deps[] = {
  { "core", "" },
  { "imgproc", "core" },
  { "imgcodecs", "imgproc" },
  { "flann", "core" },
  { "features2d", "imgproc,flann" },
  { "calib3d", "imgproc,features2d,flann" },
  { "dnn", "core,imgproc" },
  { "mcc", "core,imgproc,calib3d,dnn" },
};

static void
add_with_needs (GHashTable *set,
                const char *module)
{
  if (!g_hash_table_add (set, g_strdup (module)))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (opencv_module_deps); i++)
    if (g_str_equal (opencv_module_deps[i].module, module))
      {
        g_auto (GStrv) needs = g_strsplit (opencv_module_deps[i].needs, ",", -1);

        for (guint j = 0; needs[j] != NULL; j++)
          if (*needs[j] != '\0')
            add_with_needs (set, needs[j]);
        return;
      }
  g_test_fail_printf ("opencv module %s is not in the test's table of module dependencies", module);
}

/* The OpenCV modules imaging/ includes a header of ("opencv2/imgproc.hpp",
 * "opencv2/core/utility.hpp"), with what they need. */
static GHashTable *
opencv_modules_used (void)
{
  GHashTable *used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *dir_path = source_path ("imaging");
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GRegex) regex = NULL;
  g_autoptr (GError) error = NULL;
  const char *name;

  regex = g_regex_new ("#\\s*include\\s*<opencv2/([a-z0-9_]+)(?:\\.hpp|/)", 0, 0, &error);
  g_assert_no_error (error);
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *relative = NULL;
      g_autofree char *text = NULL;
      g_autoptr (GMatchInfo) match = NULL;

      if (!g_str_has_suffix (name, ".cpp") && !g_str_has_suffix (name, ".hpp") &&
          !g_str_has_suffix (name, ".h"))
        continue;
      relative = g_build_filename ("imaging", name, NULL);
      text = read_source_file (relative);
      g_regex_match (regex, text, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *module = g_match_info_fetch (match, 1);

          add_with_needs (used, module);
          g_match_info_next (match, NULL);
        }
    }
  return used;
}

static void
test_manifest_opencv_minimal (void)
{
  static const struct { const char *name; const char *value; } required[] = {
    { "BUILD_TESTS", "OFF" },
    { "BUILD_PERF_TESTS", "OFF" },
    { "BUILD_EXAMPLES", "OFF" },
    { "BUILD_opencv_apps", "OFF" },
    { "BUILD_DOCS", "OFF" },
    { "BUILD_opencv_python2", "OFF" },
    { "BUILD_opencv_python3", "OFF" },
    { "BUILD_JAVA", "OFF" },
    /* IPP and ADE would be downloaded during the build, which the
     * sandboxed Flathub builder does not allow. */
    { "WITH_IPP", "OFF" },
    { "WITH_ADE", "OFF" },
    { "OPENCV_GENERATE_PKGCONFIG", "ON" },
  };
  Manifest manifest = { 0 };
  JsonObject *opencv;
  g_autoptr (GPtrArray) config_opts = NULL;
  g_autoptr (GHashTable) options = NULL;
  g_autoptr (GHashTable) used = opencv_modules_used ();
  g_auto (GStrv) build_list = NULL;
  GHashTableIter iter;
  gpointer module;

  /* The regex found the includes, or the check below proves nothing. */
  g_assert_true (g_hash_table_contains (used, "core"));
  g_assert_true (g_hash_table_contains (used, "imgproc"));

  manifest_load (&manifest, MANIFEST_PATH);
  opencv = manifest_find_module (&manifest, "opencv");
  g_assert_nonnull (opencv);
  g_assert_cmpstr (object_string (opencv, "buildsystem"), ==, "cmake-ninja");

  config_opts = string_array (object_array (opencv, "config-opts"));
  options = cmake_options (config_opts);
  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    {
      const char *value = g_hash_table_lookup (options, required[i].name);

      if (g_strcmp0 (value, required[i].value) != 0)
        g_test_fail_printf ("opencv: -D%s is %s, expected %s",
                            required[i].name, value != NULL ? value : "unset", required[i].value);
    }

  g_assert_true (g_hash_table_contains (options, "BUILD_LIST"));
  build_list = g_strsplit (g_hash_table_lookup (options, "BUILD_LIST"), ",", -1);
  g_hash_table_iter_init (&iter, used);
  while (g_hash_table_iter_next (&iter, &module, NULL))
    if (!g_strv_contains ((const char * const *) build_list, module))
      g_test_fail_printf ("opencv: imaging/ uses %s (or what it needs), which BUILD_LIST lacks",
                          (const char *) module);
  for (guint i = 0; build_list[i] != NULL; i++)
    if (!g_hash_table_contains (used, build_list[i]))
      g_test_fail_printf ("opencv: BUILD_LIST builds %s, which imaging/ does not use", build_list[i]);
  manifest_clear (&manifest);
}

static void
test_manifest_dermis_module (void)
{
  for (gsize m = 0; m < G_N_ELEMENTS (manifest_paths); m++)
    {
      Manifest manifest = { 0 };
      JsonObject *dermis;
      g_autoptr (GPtrArray) config_opts = NULL;

      manifest_load (&manifest, manifest_paths[m]);
      /* The app is built last, on top of everything else. */
      dermis = g_ptr_array_index (manifest.modules, manifest.modules->len - 1);
      g_assert_cmpstr (object_string (dermis, "name"), ==, "dermis");
      g_assert_cmpstr (object_string (dermis, "buildsystem"), ==, "meson");

      config_opts = string_array (object_array (dermis, "config-opts"));
      g_assert_true (g_ptr_array_find_with_equal_func (config_opts, "-Dtests=false", g_str_equal, NULL));
      manifest_clear (&manifest);
    }
}

static void
test_manifest_dependencies_covered (void)
{
  RuntimeData runtime = { 0 };
  g_autofree char *top_level = NULL;
  g_autoptr (GPtrArray) top_level_deps = NULL;
  gboolean found_gtk = FALSE;

  runtime_data_load (&runtime);

  /* The top-level file is where the project's dependencies are declared;
   * if the regex found nothing there, the check below would prove nothing. */
  top_level = read_source_file ("meson.build");
  top_level_deps = meson_dependencies (top_level);
  g_assert_cmpuint (top_level_deps->len, >=, 2);
  for (guint i = 0; i < top_level_deps->len; i++)
    {
      MesonDependency *dep = g_ptr_array_index (top_level_deps, i);

      if (g_str_equal (dep->name, "gtk4"))
        {
          found_gtk = TRUE;
          g_assert_nonnull (dep->minimum);
        }
    }
  g_assert_true (found_gtk);

  for (gsize m = 0; m < G_N_ELEMENTS (manifest_paths); m++)
    {
      Manifest manifest = { 0 };
      g_autoptr (GHashTable) provides = NULL;

      manifest_load (&manifest, manifest_paths[m]);
      provides = build_provides (&manifest, &runtime);

      for (gsize i = 0; i < G_N_ELEMENTS (built_meson_files); i++)
        {
          g_autofree char *path = source_path (built_meson_files[i]);
          g_autofree char *text = NULL;
          g_autofree char *missing = NULL;

          if (i > 0 && !g_file_test (path, G_FILE_TEST_EXISTS))
            continue;
          text = read_source_file (built_meson_files[i]);
          missing = uncovered_dependencies (text, provides);
          if (missing != NULL)
            g_test_fail_printf ("%s asks for %s, which neither the runtime (%s) nor any "
                                "module's x-provides in %s covers",
                                built_meson_files[i], missing, RUNTIME_DATA_PATH, manifest_paths[m]);
        }
      manifest_clear (&manifest);
    }
  runtime_data_clear (&runtime);
}

/* The coverage check itself: it has to notice a dependency missing from the
 * runtime data, a runtime too old for meson's minimum, ignore one that is
 * only mentioned in a comment, and accept meson's own. */
static void
test_manifest_dependencies_detects_missing (void)
{
  RuntimeData runtime = { 0 };
  RuntimeData without_gtk = { 0 };
  Manifest manifest = { 0 };
  g_autoptr (GHashTable) provides = NULL;
  g_autoptr (GHashTable) provides_without_gtk = NULL;
  g_autofree char *data_text = read_source_file (RUNTIME_DATA_PATH);
  g_autoptr (GRegex) gtk_line = NULL;
  g_autofree char *data_without_gtk = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *too_old = NULL;
  g_autofree char *gtk_missing = NULL;
  g_autofree char *none = NULL;
  g_autoptr (GPtrArray) deps = NULL;
  g_autoptr (GError) error = NULL;
  const char *meson_text = "gtk_dep = dependency('gtk4', version: '>= 4.8')\n"
                           "foo_dep = dependency( 'libfoo-9',\n  required: true)\n"
                           "# old_dep = dependency('libold')\n"
                           "thread_dep = dependency('threads')\n"
                           "x = cc.find_library('m')  # dependency('libcomment')\n";

  runtime_data_load (&runtime);
  manifest_load (&manifest, MANIFEST_PATH);
  provides = build_provides (&manifest, &runtime);

  missing = uncovered_dependencies (meson_text, provides);
  g_assert_cmpstr (missing, ==, "libfoo-9");

  too_old = uncovered_dependencies ("gtk_dep = dependency('gtk4', version: '>= 99.0')\n", provides);
  g_assert_nonnull (too_old);
  g_assert_true (g_str_has_prefix (too_old, "gtk4 (runtime has "));

  /* The same data file with its gtk4 line gone */
  gtk_line = g_regex_new ("^pkg-config\\s+gtk4\\s.*$", G_REGEX_MULTILINE, 0, &error);
  g_assert_no_error (error);
  data_without_gtk = g_regex_replace_literal (gtk_line, data_text, -1, 0, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (data_without_gtk), <, strlen (data_text));
  runtime_data_parse (&without_gtk, data_without_gtk);
  provides_without_gtk = build_provides (&manifest, &without_gtk);
  gtk_missing = uncovered_dependencies (meson_text, provides_without_gtk);
  g_assert_cmpstr (gtk_missing, ==, "gtk4 libfoo-9");

  none = uncovered_dependencies ("glib_dep = dependency('glib-2.0', version: '>= 2.74')\n"
                                 "opencv_dep = dependency('opencv4', version: '>= 4.6')\n",
                                 provides);
  g_assert_null (none);

  /* A string containing '#' does not start a comment. */
  deps = meson_dependencies ("a = 'C#'\nb = dependency('after-hash')\n");
  g_assert_cmpuint (deps->len, ==, 1);
  g_assert_cmpstr (((MesonDependency *) g_ptr_array_index (deps, 0))->name, ==, "after-hash");

  g_assert_cmpint (version_compare ("4.22.4", "4.8"), >, 0);
  g_assert_cmpint (version_compare ("1.10.8", "1.6"), >, 0);
  g_assert_cmpint (version_compare ("2.74", "2.74.0"), ==, 0);
  g_assert_cmpint (version_compare ("3.40", "3.50.4"), <, 0);

  manifest_clear (&manifest);
  runtime_data_clear (&runtime);
  runtime_data_clear (&without_gtk);
}

typedef struct
{
  GString  *text;
  gboolean  in_id;
  gboolean  in_launchable;
  char     *id;
  char     *launchable;
  guint     depth;
} MetainfoIds;

static void
metainfo_start (GMarkupParseContext  *context,
                const char           *element,
                const char          **attribute_names,
                const char          **attribute_values,
                gpointer              user_data,
                GError              **error)
{
  MetainfoIds *ids = user_data;

  ids->depth++;
  /* Only the component's own <id>, not one inside <provides> or <requires>. */
  if (ids->depth == 2 && g_str_equal (element, "id"))
    ids->in_id = TRUE;
  else if (g_str_equal (element, "launchable"))
    {
      for (guint i = 0; attribute_names[i] != NULL; i++)
        if (g_str_equal (attribute_names[i], "type") &&
            g_str_equal (attribute_values[i], "desktop-id"))
          ids->in_launchable = TRUE;
    }
  g_string_truncate (ids->text, 0);
}

static void
metainfo_end (GMarkupParseContext  *context,
              const char           *element,
              gpointer              user_data,
              GError              **error)
{
  MetainfoIds *ids = user_data;

  if (ids->in_id)
    ids->id = g_strstrip (g_strdup (ids->text->str));
  else if (ids->in_launchable)
    ids->launchable = g_strstrip (g_strdup (ids->text->str));
  ids->in_id = FALSE;
  ids->in_launchable = FALSE;
  ids->depth--;
}

static void
metainfo_text (GMarkupParseContext  *context,
               const char           *text,
               gsize                 len,
               gpointer              user_data,
               GError              **error)
{
  MetainfoIds *ids = user_data;

  g_string_append_len (ids->text, text, len);
}

static void
test_manifest_desktop_metainfo_ids (void)
{
  static const GMarkupParser parser = {
    metainfo_start, metainfo_end, metainfo_text, NULL, NULL,
  };
  Manifest manifest = { 0 };
  g_autofree char *desktop_path = source_path ("resources/" APPLICATION_ID ".desktop.in");
  g_autofree char *metainfo = read_source_file ("resources/" APPLICATION_ID ".metainfo.xml.in");
  g_autofree char *icon = source_path ("resources/icons/hicolor/scalable/apps/" APPLICATION_ID ".svg");
  g_autofree char *symbolic = source_path ("resources/icons/hicolor/symbolic/apps/" APPLICATION_ID "-symbolic.svg");
  g_autoptr (GKeyFile) desktop = g_key_file_new ();
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *desktop_icon = NULL;
  g_autofree char *desktop_exec = NULL;
  g_auto (GStrv) exec_argv = NULL;
  g_autofree char *desktop_name = NULL;
  MetainfoIds ids = { 0 };

  manifest_load (&manifest, MANIFEST_PATH);

  g_key_file_load_from_file (desktop, desktop_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  desktop_icon = g_key_file_get_string (desktop, G_KEY_FILE_DESKTOP_GROUP,
                                        G_KEY_FILE_DESKTOP_KEY_ICON, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desktop_icon, ==, APPLICATION_ID);
  desktop_exec = g_key_file_get_string (desktop, G_KEY_FILE_DESKTOP_GROUP,
                                        G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_shell_parse_argv (desktop_exec, NULL, &exec_argv, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec_argv[0], ==, object_string (manifest.root, "command"));

  ids.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &ids, NULL);
  g_markup_parse_context_parse (context, metainfo, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (ids.id, ==, APPLICATION_ID);
  g_assert_cmpstr (ids.id, ==, manifest_app_id (&manifest));
  g_assert_cmpstr (ids.launchable, ==, APPLICATION_ID ".desktop");
  desktop_name = g_path_get_basename (desktop_path);
  g_assert_true (g_str_has_suffix (desktop_name, ".in"));
  desktop_name[strlen (desktop_name) - strlen (".in")] = '\0';
  g_assert_cmpstr (ids.launchable, ==, desktop_name);

  g_assert_true (g_file_test (icon, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (symbolic, G_FILE_TEST_IS_REGULAR));

  g_string_free (ids.text, TRUE);
  g_free (ids.id);
  g_free (ids.launchable);
  manifest_clear (&manifest);
}


int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manifest/identity", test_manifest_identity);
  g_test_add_func ("/manifest/runtime/matches-runtime-data", test_manifest_runtime);
  g_test_add_func ("/manifest/finish-args/exactly-allowed", test_manifest_finish_args);
  g_test_add_func ("/manifest/sources/pinned-and-checked", test_manifest_sources_pinned);
  g_test_add_func ("/manifest/flathub/git-at-commit", test_manifest_flathub_variant);
  g_test_add_func ("/manifest/cmake/sdk-cmake-compatible", test_manifest_cmake_modules);
  g_test_add_func ("/manifest/opencv/only-used-modules", test_manifest_opencv_minimal);
  g_test_add_func ("/manifest/dermis/meson-without-tests", test_manifest_dermis_module);
  g_test_add_func ("/manifest/dependencies/covered", test_manifest_dependencies_covered);
  g_test_add_func ("/manifest/dependencies/detects-missing", test_manifest_dependencies_detects_missing);
  g_test_add_func ("/manifest/ids/desktop-metainfo-agree", test_manifest_desktop_metainfo_ids);

  return g_test_run ();
}
