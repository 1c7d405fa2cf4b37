/* test-manifest.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The packaging metadata agrees with itself and with the build: the
 * Flatpak manifest keeps its sandbox narrow and its sources pinned, every
 * dependency() meson asks for is provided by the runtime or by a module of
 * the manifest, and the desktop file, the metainfo and the icons all carry
 * the same application id.
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

typedef struct
{
  JsonParser *parser;
  JsonObject *root;
  GPtrArray  *modules;     /* JsonObject *, flattened */
  GPtrArray  *keep_alive;  /* JsonParser * of included module files */
} Manifest;

static void
manifest_load (Manifest *manifest)
{
  manifest->parser = load_json (MANIFEST_PATH);
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

/* Every pkg-config name the manifest promises: the runtime's list plus
 * each module's x-provides. */
static GHashTable *
manifest_provides (Manifest *manifest)
{
  GHashTable *provides = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *runtime = object_array (manifest->root, "x-dermis-runtime-provides");
  g_autoptr (GPtrArray) names = NULL;

  g_assert_nonnull (runtime);
  names = string_array (runtime);
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    g_hash_table_add (provides, g_ptr_array_index (names, i));

  for (guint i = 0; i < manifest->modules->len; i++)
    {
      JsonObject *module = g_ptr_array_index (manifest->modules, i);
      g_autoptr (GPtrArray) module_names = string_array (object_array (module, "x-provides"));

      for (guint j = 0; j < module_names->len; j++)
        g_hash_table_add (provides, g_ptr_array_index (module_names, j));
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

/* The names passed to dependency() in @meson_text, in order, once each. */
static GPtrArray *
meson_dependencies (const char *meson_text)
{
  g_autoptr (GRegex) regex = NULL;
  g_autoptr (GMatchInfo) match = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *code = strip_meson_comments (meson_text);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  regex = g_regex_new ("(?<![A-Za-z0-9_.])dependency\\s*\\(\\s*'([^']+)'", 0, 0, &error);
  g_assert_no_error (error);

  g_regex_match (regex, code, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);

      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
      g_match_info_next (match, NULL);
    }
  return names;
}

/* The dependencies in @meson_text that @provides does not cover, joined
 * by spaces, or NULL when all are covered. */
static char *
uncovered_dependencies (const char *meson_text,
                        GHashTable *provides)
{
  g_autoptr (GPtrArray) names = meson_dependencies (meson_text);
  g_autoptr (GString) missing = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (g_hash_table_contains (provides, name) ||
          strv_contains (meson_builtin_dependencies,
                         G_N_ELEMENTS (meson_builtin_dependencies), name))
        continue;
      if (missing->len > 0)
        g_string_append_c (missing, ' ');
      g_string_append (missing, name);
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
  Manifest manifest = { 0 };

  manifest_load (&manifest);
  g_assert_cmpstr (manifest_app_id (&manifest), ==, APPLICATION_ID);
  g_assert_cmpstr (object_string (manifest.root, "command"), ==, "dermis");
  g_assert_cmpstr (object_string (manifest.root, "sdk"), ==, "org.gnome.Sdk");
  manifest_clear (&manifest);
}

static void
test_manifest_runtime (void)
{
  Manifest manifest = { 0 };
  const char *version;
  guint64 major = 0;
  g_autoptr (GError) error = NULL;

  manifest_load (&manifest);
  g_assert_cmpstr (object_string (manifest.root, "runtime"), ==, "org.gnome.Platform");

  /* A string: "47" and 47 mean different things to flatpak-builder. */
  version = object_string (manifest.root, "runtime-version");
  g_assert_nonnull (version);
  g_ascii_string_to_unsigned (version, 10, 0, G_MAXUINT, &major, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (major, >=, 47);
  manifest_clear (&manifest);
}

static void
test_manifest_finish_args (void)
{
  Manifest manifest = { 0 };
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  manifest_load (&manifest);
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

static void
test_manifest_sources_pinned (void)
{
  Manifest manifest = { 0 };
  guint remote = 0;

  manifest_load (&manifest);
  for (guint i = 0; i < manifest.modules->len; i++)
    {
      JsonObject *module = g_ptr_array_index (manifest.modules, i);
      JsonArray *sources = object_array (module, "sources");
      const char *module_name = object_string (module, "name");

      for (guint j = 0; sources != NULL && j < json_array_get_length (sources); j++)
        {
          JsonNode *node = json_array_get_element (sources, j);
          JsonObject *source;
          const char *type;

          g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
          source = json_node_get_object (node);
          type = object_string (source, "type");
          g_assert_nonnull (type);

          if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
            {
              const char *url = object_string (source, "url");

              if (!is_sha256 (object_string (source, "sha256")))
                g_test_fail_printf ("module %s: %s source %s has no 64-digit sha256",
                                    module_name, type, url != NULL ? url : object_string (source, "path"));
              if (url != NULL && !g_str_has_prefix (url, "https://"))
                g_test_fail_printf ("module %s: %s is not fetched over https", module_name, url);
              remote++;
            }
          else if (g_str_equal (type, "git"))
            {
              const char *commit = object_string (source, "commit");

              if (commit == NULL || strlen (commit) != 40)
                g_test_fail_printf ("module %s: git source is not pinned to a commit", module_name);
              remote++;
            }
        }
    }
  /* OpenCV at least comes from outside the tree. */
  g_assert_cmpuint (remote, >, 0);
  manifest_clear (&manifest);
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
  /* What imaging/ calls into, and what calib3d needs to build. */
  static const char * const needed_modules[] = {
    "core", "imgproc", "imgcodecs", "features2d", "calib3d", "flann", "video",
  };
  static const char * const unwanted_modules[] = {
    "highgui", "videoio", "dnn", "gapi", "java", "python3", "ts",
  };
  Manifest manifest = { 0 };
  JsonObject *opencv;
  g_autoptr (GPtrArray) config_opts = NULL;
  g_autoptr (GHashTable) options = NULL;
  g_auto (GStrv) build_list = NULL;

  manifest_load (&manifest);
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
  for (gsize i = 0; i < G_N_ELEMENTS (needed_modules); i++)
    if (!g_strv_contains ((const char * const *) build_list, needed_modules[i]))
      g_test_fail_printf ("opencv: BUILD_LIST lacks %s", needed_modules[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (unwanted_modules); i++)
    if (g_strv_contains ((const char * const *) build_list, unwanted_modules[i]))
      g_test_fail_printf ("opencv: BUILD_LIST builds %s, which Dermis does not use", unwanted_modules[i]);
  manifest_clear (&manifest);
}

static void
test_manifest_dermis_module (void)
{
  Manifest manifest = { 0 };
  JsonObject *dermis;
  JsonArray *sources;
  JsonObject *source;
  g_autoptr (GPtrArray) config_opts = NULL;

  manifest_load (&manifest);
  /* The app is built last, on top of everything else. */
  dermis = g_ptr_array_index (manifest.modules, manifest.modules->len - 1);
  g_assert_cmpstr (object_string (dermis, "name"), ==, "dermis");
  g_assert_cmpstr (object_string (dermis, "buildsystem"), ==, "meson");

  config_opts = string_array (object_array (dermis, "config-opts"));
  g_assert_true (g_ptr_array_find_with_equal_func (config_opts, "-Dtests=false", g_str_equal, NULL));

  sources = object_array (dermis, "sources");
  g_assert_nonnull (sources);
  g_assert_cmpuint (json_array_get_length (sources), ==, 1);
  source = json_array_get_object_element (sources, 0);
  g_assert_cmpstr (object_string (source, "type"), ==, "dir");
  g_assert_cmpstr (object_string (source, "path"), ==, "..");
  manifest_clear (&manifest);
}

static void
test_manifest_dependencies_covered (void)
{
  Manifest manifest = { 0 };
  g_autoptr (GHashTable) provides = NULL;
  g_autofree char *top_level = NULL;
  g_autoptr (GPtrArray) top_level_names = NULL;

  manifest_load (&manifest);
  provides = manifest_provides (&manifest);

  /* The top-level file is where the project's dependencies are declared;
   * if the regex found nothing there, the check below would prove nothing. */
  top_level = read_source_file ("meson.build");
  top_level_names = meson_dependencies (top_level);
  g_assert_cmpuint (top_level_names->len, >=, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (top_level_names, "gtk4", g_str_equal, NULL));

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
        g_test_fail_printf ("%s asks for %s, which neither x-dermis-runtime-provides nor any "
                            "module's x-provides in %s covers",
                            built_meson_files[i], missing, MANIFEST_PATH);
    }
  manifest_clear (&manifest);
}

/* The coverage check itself: it has to notice a new dependency, ignore
 * one that is only mentioned in a comment, and accept meson's own. */
static void
test_manifest_dependencies_detects_missing (void)
{
  Manifest manifest = { 0 };
  g_autoptr (GHashTable) provides = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *none = NULL;
  g_autoptr (GPtrArray) names = NULL;

  manifest_load (&manifest);
  provides = manifest_provides (&manifest);

  missing = uncovered_dependencies ("gtk_dep = dependency('gtk4', version: '>= 4.8')\n"
                                    "foo_dep = dependency( 'libfoo-9',\n  required: true)\n"
                                    "# old_dep = dependency('libold')\n"
                                    "thread_dep = dependency('threads')\n"
                                    "x = cc.find_library('m')  # dependency('libcomment')\n",
                                    provides);
  g_assert_cmpstr (missing, ==, "libfoo-9");

  none = uncovered_dependencies ("glib_dep = dependency('glib-2.0')\n"
                                 "opencv_dep = dependency('opencv4', version: '>= 4.6')\n",
                                 provides);
  g_assert_null (none);

  /* A string containing '#' does not start a comment. */
  names = meson_dependencies ("a = 'C#'\nb = dependency('after-hash')\n");
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "after-hash");
  manifest_clear (&manifest);
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

  manifest_load (&manifest);

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
  g_test_add_func ("/manifest/runtime/gnome-47-or-newer", test_manifest_runtime);
  g_test_add_func ("/manifest/finish-args/exactly-allowed", test_manifest_finish_args);
  g_test_add_func ("/manifest/sources/pinned-by-sha256", test_manifest_sources_pinned);
  g_test_add_func ("/manifest/opencv/minimal-build", test_manifest_opencv_minimal);
  g_test_add_func ("/manifest/dermis/meson-without-tests", test_manifest_dermis_module);
  g_test_add_func ("/manifest/dependencies/covered", test_manifest_dependencies_covered);
  g_test_add_func ("/manifest/dependencies/detects-missing", test_manifest_dependencies_detects_missing);
  g_test_add_func ("/manifest/ids/desktop-metainfo-agree", test_manifest_desktop_metainfo_ids);

  return g_test_run ();
}
