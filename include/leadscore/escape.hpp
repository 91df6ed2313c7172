// Making lead data safe to print on a terminal.
#pragma once

#include <string>
#include <string_view>

namespace leadscore {

// `s` with every character a terminal would act on written out instead: \t, \n and \r by
// name, other C0 controls, DEL and the C1 controls (U+0080..U+009F) as \xNN (their code
// point), and bytes that are not well-formed UTF-8 as \xNN. Printable text, including any
// other Unicode, is unchanged. Lead ids, event types and property values come from CRM exports
// and web forms: printed raw, `ESC ] 0 ; ... BEL` would retitle the window and `ESC [ 2 J`
// clear the screen. Backslashes are left as they are: the output is for reading, not parsing
// (the JSON and CSV outputs are the machine-readable ones).
std::string escape_controls(std::string_view s);

}  // namespace leadscore
