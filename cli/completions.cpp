// `kernels completions bash|zsh|fish` (hidden): prints a completion script for the
// shell, made from the CLI11 command tree itself, so the installed completions
// (cmake/install.cmake runs this at build time) always name exactly the commands
// and options the binary parses. Per option: its names, whether it takes a value,
// the allowed values (an option_text such as "human|json", or the set of an
// IsMember / CheckedTransformer check), and whether the value is a file or a
// directory (an option_text naming FILE, PATH or DIR). Hidden commands and options
// (CLI11's empty group) are left out. Only names and values matching a plain
// word pattern reach the scripts; descriptions are quoted for each shell.
#include <CLI/CLI.hpp>

#include <cctype>
#include <iostream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "cli/exit_codes.hpp"

namespace kernels::cli {

namespace {

enum class Value { None, Word, File, Dir, Command };  // what a value or positional completes to

struct Opt {
  std::vector<std::string> names;  // "-j", "--jobs"
  std::string help;
  std::string label;  // FILE, N, ...
  Value value = Value::None;
  std::vector<std::string> choices;
  bool repeats = false;
  bool global = false;  // the root's, valid after every command too (CLI11 fallthrough)
};

struct Positional {
  std::string label;
  Value value = Value::Word;
  std::vector<std::string> choices;
  bool many = false;
  bool required = false;
};

struct Cmd {
  std::string name;
  std::string help;
  std::vector<Opt> opts;  // its own, then the global ones it does not shadow
  std::vector<Positional> positionals;
};

struct Tree {
  std::vector<Opt> global;
  std::vector<Cmd> commands;
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const Cmd& c : commands) out.push_back(c.name);
    return out;
  }
};

bool plain_word(const std::string& s) {
  static const std::regex word("[A-Za-z0-9][A-Za-z0-9._+/-]*");
  return std::regex_match(s, word);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string::size_type start = 0;
  for (;;) {
    auto end = s.find(sep, start);
    out.push_back(s.substr(start, end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

// "a|b|c" from option_text, else the first "{a,b}" (IsMember) or "{a->x,b->y}"
// (CheckedTransformer) among the validator descriptions in the type name.
std::vector<std::string> choices_of(const CLI::Option& o) {
  std::vector<std::string> out;
  std::string type = o.get_type_name();
  const std::string text = o.get_option_text().empty() ? type.substr(0, type.find(':')) : o.get_option_text();
  if (text.find('|') != std::string::npos) {
    for (const std::string& w : split(text, '|'))
      if (plain_word(w)) out.push_back(w);
    if (!out.empty()) return out;
  }
  auto open = type.find('{');
  auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return out;
  for (std::string w : split(type.substr(open + 1, close - open - 1), ',')) {
    w = w.substr(0, w.find("->"));
    if (plain_word(w)) out.push_back(w);
  }
  return out;
}

std::string label_of(const CLI::Option& o) {
  std::string label = o.get_option_text().empty() ? o.get_type_name() : o.get_option_text();
  label = label.substr(0, label.find(':'));
  std::string clean;
  for (char ch : label)
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.' || ch == '|') clean += ch;
  return clean.empty() ? "VALUE" : clean;
}

std::string upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// From the placeholder (FILE, PROJECT_DIR, N, ...) or the name (--token-file); where the
// code gave no placeholder (CLI11's TEXT), from the help text ("the bundle (JSON)").
Value value_of(const std::string& label, const std::string& name, const std::string& help,
               const std::vector<std::string>& choices) {
  if (!choices.empty()) return Value::Word;
  const std::string words = upper(label + " " + name);
  if (words.find("DIR") != std::string::npos) return Value::Dir;
  if (words.find("FILE") != std::string::npos || words.find("PATH") != std::string::npos) return Value::File;
  if (label.rfind("TEXT", 0) == 0) {
    const std::string h = upper(help);
    if (h.find("DIRECTORY") != std::string::npos) return Value::Dir;
    for (const char* hint : {"FILE", "JSON", "PEM", "PATH"})
      if (h.find(hint) != std::string::npos) return Value::File;
  }
  return Value::Word;
}

std::vector<Opt> options_of(const CLI::App& app) {
  std::vector<Opt> out;
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty() || !o->nonpositional()) continue;
    Opt opt;
    for (const std::string& s : o->get_snames())
      if (plain_word(s)) opt.names.push_back("-" + s);
    for (const std::string& l : o->get_lnames())
      if (plain_word(l)) opt.names.push_back("--" + l);
    if (opt.names.empty()) continue;
    opt.help = o->get_description();
    if (o->get_expected_max() > 0 && o->get_type_size_max() > 0) {  // a flag expects 0 values
      opt.choices = choices_of(*o);
      opt.label = label_of(*o);
      opt.value = value_of(opt.label, opt.names.back(), opt.help, opt.choices);
      opt.repeats = o->get_expected_max() > 1;
    }
    out.push_back(opt);
  }
  return out;
}

bool shadows(const std::vector<Opt>& own, const Opt& global) {
  for (const Opt& o : own)
    for (const std::string& n : o.names)
      for (const std::string& g : global.names)
        if (n == g) return true;
  return false;
}

Tree walk(const CLI::App& root) {
  Tree tree;
  tree.global = options_of(root);
  for (Opt& g : tree.global) g.global = true;
  for (const CLI::App* sub : root.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    if (!plain_word(sub->get_name())) continue;
    Cmd cmd{sub->get_name(), sub->get_description(), options_of(*sub), {}};
    for (const Opt& g : tree.global)
      if (!shadows(cmd.opts, g)) cmd.opts.push_back(g);
    for (const CLI::Option* o : sub->get_options([](const CLI::Option* o) { return o->get_positional(); })) {
      if (o->get_group().empty()) continue;
      Positional p;
      p.choices = choices_of(*o);
      p.label = label_of(*o);
      p.value =
          cmd.name == "help" ? Value::Command : value_of(p.label, o->get_name(true), o->get_description(), p.choices);
      p.many = o->get_expected_max() > 1;
      p.required = o->get_required();
      cmd.positionals.push_back(p);
    }
    tree.commands.push_back(cmd);
  }
  return tree;
}

std::string join(const std::vector<std::string>& words, const std::string& sep = " ") {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

// The hint of a command's positionals for shells completing them all alike (bash).
const Positional* first_hint(const Cmd& c) {
  for (const Positional& p : c.positionals)
    if (p.value != Value::Word || !p.choices.empty()) return &p;
  return nullptr;
}

// ---------------------------------------------------------------- bash

std::string bash_value(Value v, const std::vector<std::string>& choices, const std::string& commands) {
  if (!choices.empty()) return "_kernels_words \"" + join(choices) + "\"";
  switch (v) {
    case Value::File: return "_kernels_files";
    case Value::Dir: return "_kernels_dirs";
    case Value::Command: return "_kernels_words \"" + commands + "\"";
    default: return ":";
  }
}

std::string bash(const Tree& t) {
  const std::string commands = join(t.names());
  std::string s =
      "# bash completion for kernels, generated by `kernels completions bash` (kernels " KERNELS_VERSION
      "); do not edit.\n"
      "_kernels_words() { mapfile -t COMPREPLY < <(compgen -W \"$1\" -- \"$cur\"); }\n"
      "_kernels_files() { compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- \"$cur\"); }\n"
      "_kernels_dirs() { compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\"); }\n"
      "_kernels() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" cmd=\"\" i\n"
      "  COMPREPLY=()\n"
      "  (( COMP_CWORD > 0 )) && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  # --option=value: bash splits the word at '='.\n"
      "  if [[ $cur == \"=\" ]]; then cur=\"\"\n"
      "  elif [[ $prev == \"=\" ]] && (( COMP_CWORD > 1 )); then prev=\"${COMP_WORDS[COMP_CWORD-2]}\"; fi\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case \"${COMP_WORDS[i]}\" in\n";
  std::vector<std::string> global_valued;
  for (const Opt& o : t.global)
    if (o.value != Value::None) global_valued.insert(global_valued.end(), o.names.begin(), o.names.end());
  if (!global_valued.empty())
    s += "      " + join(global_valued, "|") +
         ") if [[ ${COMP_WORDS[i+1]} == \"=\" ]]; then i=$((i + 2)); else i=$((i + 1)); fi ;;\n";
  s += "      " + join(t.names(), "|") + ") cmd=\"${COMP_WORDS[i]}\"; break ;;\n";
  s += "    esac\n  done\n";
  // The value of an option.
  s += "  case \"$cmd $prev\" in\n";
  for (const Cmd& c : t.commands)
    for (const Opt& o : c.opts) {
      if (o.value == Value::None || o.global) continue;  // the global ones: below, for every command
      std::vector<std::string> pats;
      for (const std::string& n : o.names) pats.push_back("\"" + c.name + " " + n + "\"");
      s += "    " + join(pats, "|") + ") " + bash_value(o.value, o.choices, commands) + "; return ;;\n";
    }
  for (const Opt& o : t.global) {
    if (o.value == Value::None) continue;
    std::vector<std::string> pats;
    for (const std::string& n : o.names) pats.push_back("*\" " + n + "\"");
    s += "    " + join(pats, "|") + ") " + bash_value(o.value, o.choices, commands) + "; return ;;\n";
  }
  s += "  esac\n";
  // Option names, then command names or positionals.
  s += "  if [[ $cur == -* ]]; then\n    case \"$cmd\" in\n";
  auto names_of = [](const std::vector<Opt>& opts) {
    std::vector<std::string> out;
    for (const Opt& o : opts) out.insert(out.end(), o.names.begin(), o.names.end());
    return join(out);
  };
  s += "      \"\") _kernels_words \"" + names_of(t.global) + "\" ;;\n";
  for (const Cmd& c : t.commands) s += "      " + c.name + ") _kernels_words \"" + names_of(c.opts) + "\" ;;\n";
  s += "    esac\n    return\n  fi\n";
  s += "  case \"$cmd\" in\n";
  s += "    \"\") _kernels_words \"" + commands + "\" ;;\n";
  for (const Cmd& c : t.commands)
    if (const Positional* p = first_hint(c))
      s += "    " + c.name + ") " + bash_value(p->value, p->choices, commands) + " ;;\n";
  s += "  esac\n}\ncomplete -F _kernels kernels\n";
  return s;
}

// ---------------------------------------------------------------- zsh

std::string zsh_quote(const std::string& text) {  // for '...[text]...'
  std::string out;
  for (char ch : text) {
    if (ch == '\'') out += "'\\''";
    else if (ch == '[' || ch == ']' || ch == '\\') out += std::string("\\") + ch;
    else if (ch == '\n') out += ' ';
    else out += ch;
  }
  return out;
}

std::string zsh_action(Value v, const std::vector<std::string>& choices, const std::string& commands) {
  if (!choices.empty()) return "(" + join(choices) + ")";
  switch (v) {
    case Value::File: return "_files";
    case Value::Dir: return "_files -/";
    case Value::Command: return "(" + commands + ")";
    default: return " ";
  }
}

std::string zsh_spec(const Opt& o, const std::string& commands) {
  std::string names;
  std::vector<std::string> forms;
  for (const std::string& n : o.names) {
    std::string form = n;
    if (o.value != Value::None) form += n.size() == 2 ? "+" : "=";
    forms.push_back(form);
  }
  std::string spec;
  if (o.repeats) spec += "'*'";
  else if (o.names.size() > 1) spec += "'(" + join(o.names) + ")'";
  spec += forms.size() > 1 ? "{" + join(forms, ",") + "}" : forms.front();
  spec += "'[" + zsh_quote(o.help) + "]";
  if (o.value != Value::None) spec += ":" + o.label + ":" + zsh_action(o.value, o.choices, commands);
  return spec + "'";
}

std::string zsh(const Tree& t) {
  const std::string commands = join(t.names());
  std::string s =
      "#compdef kernels\n"
      "# zsh completion for kernels, generated by `kernels completions zsh` (kernels " KERNELS_VERSION
      "); do not edit.\n"
      "_kernels() {\n"
      "  local curcontext=\"$curcontext\" state state_descr line ret=1\n"
      "  typeset -A opt_args\n"
      "  local -a commands global_opts\n"
      "  commands=(\n";
  for (const Cmd& c : t.commands) s += "    '" + c.name + ":" + zsh_quote(c.help) + "'\n";
  s += "  )\n  global_opts=(\n";
  for (const Opt& o : t.global) s += "    " + zsh_spec(o, commands) + "\n";
  s += "  )\n"
       "  _arguments -C -s $global_opts ': :->command' '*:: :->args' && ret=0\n"
       "  case $state in\n"
       "    command) _describe -t commands 'kernels command' commands && ret=0 ;;\n"
       "    args)\n"
       "      case $words[1] in\n";
  for (const Cmd& c : t.commands) {
    s += "        " + c.name + ")\n          _arguments -s \\\n";
    for (const Opt& o : c.opts) s += "            " + zsh_spec(o, commands) + " \\\n";
    for (const Positional& p : c.positionals) {
      std::string kind = p.many ? "*:" : (p.required ? ":" : "::");
      s += "            '" + kind + p.label + ":" + zsh_action(p.value, p.choices, commands) + "' \\\n";
    }
    s += "            && ret=0 ;;\n";
  }
  s += "      esac ;;\n"
       "  esac\n"
       "  return ret\n"
       "}\n"
       "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _kernels \"$@\"; else compdef _kernels kernels; fi\n";
  return s;
}

// ---------------------------------------------------------------- fish

std::string fish_quote(const std::string& text) {
  std::string out = "'";
  for (char ch : text) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch == '\n' ? ' ' : ch;
  }
  return out + "'";
}

std::string fish_value(Value v, const std::vector<std::string>& choices, const std::string& commands) {
  if (!choices.empty()) return " -x -a " + fish_quote(join(choices));
  switch (v) {
    case Value::File: return " -r -F";
    case Value::Dir: return " -x -a '(__fish_complete_directories)'";
    case Value::Command: return " -x -a " + fish_quote(commands);
    case Value::Word: return " -x";
    default: return "";
  }
}

std::string fish_positional(const Positional& p, const std::string& commands) {
  if (!p.choices.empty()) return " -a " + fish_quote(join(p.choices));
  switch (p.value) {
    case Value::File: return " -F";
    case Value::Dir: return " -a '(__fish_complete_directories)'";
    case Value::Command: return " -a " + fish_quote(commands);
    default: return "";
  }
}

std::string fish_option(const std::string& condition, const Opt& o, const std::string& commands) {
  std::string s = "complete -c kernels -n " + fish_quote(condition);
  for (const std::string& n : o.names) s += (n.size() == 2 ? " -s " + n.substr(1) : " -l " + n.substr(2));
  return s + fish_value(o.value, o.choices, commands) + " -d " + fish_quote(o.help) + "\n";
}

std::string fish(const Tree& t) {
  const std::string commands = join(t.names());
  const std::string none = "not __fish_seen_subcommand_from " + commands;
  std::string s = "# fish completion for kernels, generated by `kernels completions fish` (kernels " KERNELS_VERSION
                  "); do not edit.\n"
                  "complete -c kernels -f\n";
  for (const Cmd& c : t.commands)
    s += "complete -c kernels -n " + fish_quote(none) + " -a " + c.name + " -d " + fish_quote(c.help) + "\n";
  for (const Opt& o : t.global) s += fish_option(none, o, commands);
  for (const Cmd& c : t.commands) {
    const std::string in = "__fish_seen_subcommand_from " + c.name;
    for (const Opt& o : c.opts) s += fish_option(in, o, commands);
    if (const Positional* p = first_hint(c))
      s += "complete -c kernels -n " + fish_quote(in) + fish_positional(*p, commands) + "\n";
  }
  return s;
}

}  // namespace

void register_completions(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("completions", "Print the completion script for a shell");
  cmd->group("");  // hidden: for the build (cmake/install.cmake) and for users who want it by hand
  auto shell = std::make_shared<std::string>();
  cmd->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->callback([cmd, shell, exit_code] {
    const Tree tree = walk(*cmd->get_parent());
    std::cout << (*shell == "bash" ? bash(tree) : *shell == "zsh" ? zsh(tree) : fish(tree)) << std::flush;
    *exit_code = kExitOk;
  });
}

}  // namespace kernels::cli
