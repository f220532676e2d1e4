// The commands a file's facts are read from (validators/project_facts.h), by name: extracting
// the facts and moving them after an edit (validators/facts_after_edit.h) both tell them apart.
// Threading: a constant table and a pure function.
#pragma once

#include <cstdint>
#include <string_view>

namespace perfectex::validators {

enum class Command : std::uint8_t {
  None,
  DocumentClass,
  Begin,
  End,
  Input,
  Include,
  Subfile,
  Import,
  Subimport,
  IncludeOnly,
  Bibliography,
  BibResource,
  Graphics,
  External,
  GraphicsPath,
  GraphicsExtensions,
  Label,
  Reference,
  Citation,
  Package,
  Def,
  NewCommand,
  MakeAtLetter,
  MakeAtOther,
};

/// The command a control word's name (without its backslash) is, or None.
Command command_of(std::string_view name);

}  // namespace perfectex::validators
