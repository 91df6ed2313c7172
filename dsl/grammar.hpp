// The grammar of the scoring language (spec sections 2-5), as PEGTL rules and nothing else.
// Included by dsl/parser.cpp only: PEGTL templates are slow to compile, so they live in one
// translation unit. Each rule is followed by the white space and comments after it (`tok`).
//
// The parser does not parse a whole file in one go: it parses one top-level item, or one rule
// of a group, at a time (the `*_item` entry points at the bottom), so that after a syntax error
// it can skip to the next item and keep reporting (panic mode).
#pragma once

#include <tao/pegtl.hpp>

namespace leadscore::dsl::grammar {

namespace pg = tao::pegtl;

// comment := '#' ... end of line ;  skip := (space | comment)*
struct comment : pg::seq<pg::one<'#'>, pg::until<pg::eolf>> {};
struct skip : pg::star<pg::sor<pg::ascii::space, comment>> {};
template <typename Rule>
struct tok : pg::seq<Rule, skip> {};
template <char... Cs>
struct sym : tok<pg::string<Cs...>> {};

// Keywords (spec 9). A keyword is a whole word: `oncea` is a name, not `once` + `a`.
#define LEADSCORE_KEYWORD(id, text) \
  struct kw_##id : tok<TAO_PEGTL_KEYWORD(text)> {};
LEADSCORE_KEYWORD(model, "model")
LEADSCORE_KEYWORD(version, "version")
LEADSCORE_KEYWORD(scale, "scale")
LEADSCORE_KEYWORD(to, "to")
LEADSCORE_KEYWORD(band, "band")
LEADSCORE_KEYWORD(grade, "grade")
LEADSCORE_KEYWORD(list, "list")
LEADSCORE_KEYWORD(file, "file")
LEADSCORE_KEYWORD(fit, "fit")
LEADSCORE_KEYWORD(engagement, "engagement")
LEADSCORE_KEYWORD(cap, "cap")
LEADSCORE_KEYWORD(floor, "floor")
LEADSCORE_KEYWORD(decay, "decay")
LEADSCORE_KEYWORD(linear, "linear")
LEADSCORE_KEYWORD(every, "every")
LEADSCORE_KEYWORD(none, "none")
LEADSCORE_KEYWORD(no, "no")
LEADSCORE_KEYWORD(within, "within")
LEADSCORE_KEYWORD(limit, "limit")
LEADSCORE_KEYWORD(unless, "unless")
LEADSCORE_KEYWORD(when, "when")
LEADSCORE_KEYWORD(on, "on")
LEADSCORE_KEYWORD(where, "where")
LEADSCORE_KEYWORD(once, "once")
LEADSCORE_KEYWORD(per, "per")
LEADSCORE_KEYWORD(and_, "and")
LEADSCORE_KEYWORD(or_, "or")
LEADSCORE_KEYWORD(not_, "not")
LEADSCORE_KEYWORD(in, "in")
LEADSCORE_KEYWORD(between, "between")
LEADSCORE_KEYWORD(contains, "contains")
LEADSCORE_KEYWORD(starts, "starts")
LEADSCORE_KEYWORD(ends, "ends")
LEADSCORE_KEYWORD(with, "with")
LEADSCORE_KEYWORD(matches, "matches")
LEADSCORE_KEYWORD(is, "is")
LEADSCORE_KEYWORD(missing, "missing")
LEADSCORE_KEYWORD(present, "present")
LEADSCORE_KEYWORD(any, "any")
LEADSCORE_KEYWORD(lead, "lead")
LEADSCORE_KEYWORD(true_, "true")
LEADSCORE_KEYWORD(false_, "false")
#undef LEADSCORE_KEYWORD
// `half-life` has a hyphen, so it is spelled out.
struct kw_half_life : tok<pg::seq<pg::string<'h', 'a', 'l', 'f', '-', 'l', 'i', 'f', 'e'>,
                                  pg::not_at<pg::identifier_other>>> {};

struct unit_hour : TAO_PEGTL_KEYWORD("hour") {};
struct unit_hours : TAO_PEGTL_KEYWORD("hours") {};
struct unit_day : TAO_PEGTL_KEYWORD("day") {};
struct unit_days : TAO_PEGTL_KEYWORD("days") {};
struct unit_week : TAO_PEGTL_KEYWORD("week") {};
struct unit_weeks : TAO_PEGTL_KEYWORD("weeks") {};

struct reserved_word
    : pg::sor<TAO_PEGTL_KEYWORD("model"), TAO_PEGTL_KEYWORD("version"), TAO_PEGTL_KEYWORD("scale"),
              TAO_PEGTL_KEYWORD("to"), TAO_PEGTL_KEYWORD("band"), TAO_PEGTL_KEYWORD("grade"),
              TAO_PEGTL_KEYWORD("list"), TAO_PEGTL_KEYWORD("file"), TAO_PEGTL_KEYWORD("fit"),
              TAO_PEGTL_KEYWORD("engagement"), TAO_PEGTL_KEYWORD("cap"), TAO_PEGTL_KEYWORD("floor"),
              TAO_PEGTL_KEYWORD("decay"),
              pg::seq<pg::string<'h', 'a', 'l', 'f', '-', 'l', 'i', 'f', 'e'>,
                      pg::not_at<pg::identifier_other>>,
              TAO_PEGTL_KEYWORD("linear"), TAO_PEGTL_KEYWORD("every"), TAO_PEGTL_KEYWORD("none"),
              TAO_PEGTL_KEYWORD("no"), TAO_PEGTL_KEYWORD("within"), TAO_PEGTL_KEYWORD("limit"),
              TAO_PEGTL_KEYWORD("unless"), TAO_PEGTL_KEYWORD("when"), TAO_PEGTL_KEYWORD("on"),
              TAO_PEGTL_KEYWORD("where"), TAO_PEGTL_KEYWORD("once"), TAO_PEGTL_KEYWORD("per"),
              TAO_PEGTL_KEYWORD("and"), TAO_PEGTL_KEYWORD("or"), TAO_PEGTL_KEYWORD("not"),
              TAO_PEGTL_KEYWORD("in"), TAO_PEGTL_KEYWORD("between"), TAO_PEGTL_KEYWORD("contains"),
              TAO_PEGTL_KEYWORD("starts"), TAO_PEGTL_KEYWORD("ends"), TAO_PEGTL_KEYWORD("with"),
              TAO_PEGTL_KEYWORD("matches"), TAO_PEGTL_KEYWORD("is"), TAO_PEGTL_KEYWORD("missing"),
              TAO_PEGTL_KEYWORD("present"), TAO_PEGTL_KEYWORD("any"), TAO_PEGTL_KEYWORD("lead"),
              TAO_PEGTL_KEYWORD("true"), TAO_PEGTL_KEYWORD("false"), TAO_PEGTL_KEYWORD("hour"),
              TAO_PEGTL_KEYWORD("hours"), TAO_PEGTL_KEYWORD("day"), TAO_PEGTL_KEYWORD("days"),
              TAO_PEGTL_KEYWORD("week"), TAO_PEGTL_KEYWORD("weeks")> {};

// name := identifier that is not a keyword
struct name : tok<pg::seq<pg::not_at<reserved_word>, pg::identifier>> {};
// A band or grade name may be any word or a whole number (spec 2).
struct label_name : tok<pg::sor<pg::identifier, pg::plus<pg::digit>>> {};
// An attribute after `lead.` may be spelled like a keyword.
struct attribute_name : tok<pg::identifier> {};

// number := digits ('.' digits)? ; a letter straight after a number is a mistake
struct unsigned_number
    : tok<pg::seq<pg::plus<pg::digit>, pg::opt<pg::one<'.'>, pg::plus<pg::digit>>,
                  pg::not_at<pg::identifier_other>>> {};
struct signed_number
    : tok<pg::seq<pg::opt<pg::one<'-', '+'>>, pg::plus<pg::digit>,
                  pg::opt<pg::one<'.'>, pg::plus<pg::digit>>, pg::not_at<pg::identifier_other>>> {};
struct whole_number : tok<pg::seq<pg::plus<pg::digit>, pg::not_at<pg::one<'.'>>>> {};
// percent := number '%'
struct percent
    : tok<pg::seq<pg::plus<pg::digit>, pg::opt<pg::one<'.'>, pg::plus<pg::digit>>, pg::one<'%'>>> {
};

// string := '"' (escape | any but '"', '\' or a line end)* '"'
struct escape_char : pg::one<'"', '\\', 'n', 't'> {};
struct escape : pg::seq<pg::one<'\\'>, pg::must<escape_char>> {};
struct string_char : pg::sor<escape, pg::not_one<'"', '\\', '\n', '\r'>> {};
struct string_close : pg::one<'"'> {};
struct string_open : pg::one<'"'> {};
struct string_lit : tok<pg::seq<string_open, pg::star<string_char>, pg::must<string_close>>> {};

// duration := number ('hour'|'hours'|'day'|'days'|'week'|'weeks')
struct time_unit : tok<pg::sor<unit_hours, unit_hour, unit_days, unit_day, unit_weeks, unit_week>> {
};
struct duration : pg::seq<unsigned_number, pg::must<time_unit>> {};

// ---- expressions (spec 5.2), loosest first -------------------------------------------
struct expr;

// The nesting points the depth limit counts (spec 2: depth 64); defined after `expr`.
struct nested_expr;

struct true_lit : kw_true_ {};
struct false_lit : kw_false_ {};
struct paren_open : sym<'('> {};
struct paren_close : sym<')'> {};
struct bracket_close : sym<']'> {};
struct comma : sym<','> {};

struct paren_expr : pg::seq<paren_open, nested_expr, pg::must<paren_close>> {};

struct list_item : pg::sor<string_lit, signed_number, true_lit, false_lit> {};
struct list_literal : pg::seq<sym<'['>, pg::opt<list_item, pg::star<comma, list_item>>,
                              pg::opt<comma>, pg::must<bracket_close>> {};

// Aggregates: count(EVENT [where C] [within D]), sum(EVENT.prop ...), days_since_last(EVENT ...)
struct agg_count : TAO_PEGTL_KEYWORD("count") {};
struct agg_sum : TAO_PEGTL_KEYWORD("sum") {};
struct agg_days_since_last : TAO_PEGTL_KEYWORD("days_since_last") {};
struct agg_function : tok<pg::sor<agg_count, agg_sum, agg_days_since_last>> {};
struct event_type : pg::sor<kw_any, name> {};
struct event_property : pg::seq<sym<'.'>, pg::must<attribute_name>> {};
struct agg_where : pg::seq<kw_where, pg::must<nested_expr>> {};
struct agg_within : pg::seq<kw_within, pg::must<duration>> {};
struct agg_event : event_type {};
struct aggregate : pg::seq<agg_function, paren_open,
                           pg::must<agg_event, pg::opt<event_property>, pg::opt<agg_where>,
                                    pg::opt<agg_within>, paren_close>> {};

struct function_name : name {};
struct call_args : pg::opt<nested_expr, pg::star<comma, nested_expr>> {};
struct call : pg::seq<function_name, paren_open, call_args, pg::must<paren_close>> {};

struct lead_ref : pg::seq<kw_lead, pg::must<sym<'.'>, attribute_name>> {};
struct name_ref : name {};
struct percent_lit : percent {};
struct number_lit : unsigned_number {};

struct primary : pg::sor<percent_lit, number_lit, string_lit, true_lit, false_lit, aggregate, call,
                         lead_ref, name_ref, paren_expr> {};

// The operand of `-` and of `not` is a nesting level of its own; it is a separate rule so
// that the depth guard counts it only once the operator has matched.
struct minus_sign : sym<'-'> {};
struct negated_operand;
struct negation : pg::seq<minus_sign, negated_operand> {};
struct unary : pg::sor<negation, primary> {};
struct negated_operand : pg::sor<negation, primary> {};

struct mul_op : tok<pg::one<'*', '/'>> {};
struct multiplicative : pg::seq<unary, pg::star<mul_op, pg::must<unary>>> {};
struct add_op : tok<pg::one<'+', '-'>> {};
struct additive : pg::seq<multiplicative, pg::star<add_op, pg::must<multiplicative>>> {};

// A comparison operand: everything tighter than comparisons.
struct operand : additive {};
struct compare_op : tok<pg::sor<pg::string<'!', '='>, pg::string<'<', '='>, pg::string<'>', '='>,
                                pg::one<'='>, pg::one<'<'>, pg::one<'>'>>> {};
struct list_ref : pg::sor<list_literal, name> {};
struct between_tail : pg::seq<kw_between, pg::must<operand, kw_and_, operand>> {};
struct not_in_tail : pg::seq<kw_not_, kw_in, pg::must<list_ref>> {};
struct in_tail : pg::seq<kw_in, pg::must<list_ref>> {};
struct contains_tail : pg::seq<kw_contains, pg::must<operand>> {};
struct starts_tail : pg::seq<kw_starts, pg::must<kw_with, operand>> {};
struct ends_tail : pg::seq<kw_ends, pg::must<kw_with, operand>> {};
struct matches_tail : pg::seq<kw_matches, pg::must<string_lit>> {};
struct missing_word : kw_missing {};
struct present_word : kw_present {};
struct is_tail : pg::seq<kw_is, pg::must<pg::sor<missing_word, present_word>>> {};
struct compare_tail : pg::seq<compare_op, pg::must<operand>> {};
struct comparison
    : pg::seq<operand,
              pg::opt<pg::sor<compare_tail, between_tail, not_in_tail, in_tail, contains_tail,
                              starts_tail, ends_tail, matches_tail, is_tail>>> {};

struct not_operand;
struct logical_not : pg::seq<kw_not_, not_operand> {};
struct not_expr : pg::sor<logical_not, comparison> {};
struct not_operand : pg::sor<logical_not, comparison> {};
struct and_expr : pg::seq<not_expr, pg::star<kw_and_, pg::must<not_expr>>> {};
struct or_expr : pg::seq<and_expr, pg::star<kw_or_, pg::must<and_expr>>> {};
struct expr : or_expr {};
struct nested_expr : or_expr {};

// ---- rules (spec 4) --------------------------------------------------------------------
// points := ('+' | '-') (number | '(' expr ')')
struct points_sign : tok<pg::one<'+', '-'>> {};
// The parentheses of `+(...)` are points syntax, not a nesting level (decision 17): `expr`
// rather than `nested_expr`, so the depth guard does not count them.
struct points_paren : pg::seq<paren_open, expr, pg::must<paren_close>> {};
struct points_value : pg::sor<number_lit, points_paren> {};
struct points : pg::seq<points_sign, pg::must<points_value>> {};

struct condition : or_expr {};
struct when_clause : pg::seq<kw_when, pg::must<condition>> {};
struct rule_event : event_type {};
struct where_clause : pg::seq<kw_where, pg::must<condition>> {};
struct on_clause : pg::seq<kw_on, pg::must<rule_event>, pg::opt<where_clause>> {};
struct trigger : pg::sor<when_clause, on_clause> {};

// decay_spec := 'half-life' D | 'linear' D | P '%' 'every' D | 'none'
struct half_life_decay : pg::seq<kw_half_life, pg::must<duration>> {};
struct linear_decay : pg::seq<kw_linear, pg::must<duration>> {};
struct step_decay : pg::seq<percent, pg::must<kw_every, duration>> {};
struct no_decay_word : kw_none {};
struct decay_spec : pg::sor<half_life_decay, linear_decay, step_decay, no_decay_word> {};
struct decay_clause : pg::seq<kw_decay, pg::must<decay_spec>> {};
struct no_decay_clause : pg::seq<kw_no, pg::must<kw_decay>> {};

struct cap_value : signed_number {};
struct cap_clause : pg::seq<kw_cap, pg::must<cap_value>> {};
struct floor_clause : pg::seq<kw_floor, pg::must<signed_number>> {};
struct once_clause : kw_once {};
struct limit_clause : pg::seq<kw_limit, pg::must<whole_number, kw_per, duration>> {};
struct within_clause : pg::seq<kw_within, pg::must<duration>> {};
struct modifier
    : pg::sor<cap_clause, once_clause, limit_clause, within_clause, decay_clause, no_decay_clause> {
};

struct rule_name : name {};
struct rule_label : string_lit {};
struct rule_colon : sym<':'> {};
// rule_head := name label? ':' -- also how the parser finds where the next rule starts.
struct rule_head : pg::seq<rule_name, pg::opt<rule_label>, rule_colon> {};
struct rule_item : pg::seq<rule_head, pg::must<points, trigger>, pg::star<modifier>> {};

// ---- top-level items (spec 3) ------------------------------------------------------------
struct model_item : pg::seq<kw_model, pg::must<string_lit>> {};
struct version_item : pg::seq<kw_version, pg::must<string_lit>> {};
struct scale_item : pg::seq<kw_scale, pg::must<signed_number, kw_to, signed_number>> {};

// threshold := '>=' number ; a lone `>` is reported as a mistake, not skipped
struct threshold_equals : pg::one<'='> {};
struct threshold
    : pg::seq<pg::one<'>'>, pg::must<threshold_equals>, skip, pg::must<signed_number>> {};
struct description : string_lit {};
struct band_item
    : pg::seq<kw_band, pg::must<label_name>, pg::opt<threshold>, pg::opt<description>> {};
struct grade_group : name {};
struct grade_item : pg::seq<kw_grade, pg::must<grade_group, label_name>, pg::opt<threshold>,
                            pg::opt<description>> {};

struct list_name : name {};
struct list_file : pg::seq<kw_file, pg::must<string_lit>> {};
struct list_value : pg::sor<list_file, list_literal> {};
struct list_item_decl : pg::seq<kw_list, pg::must<list_name, sym<'='>, list_value>> {};

struct group_kind : pg::sor<kw_fit, kw_engagement> {};
struct group_name : name {};
struct group_option
    : pg::sor<cap_clause, floor_clause, decay_clause, no_decay_clause, within_clause> {};
struct group_open : sym<'{'> {};
struct group_header
    : pg::seq<group_kind, pg::must<group_name>, pg::star<group_option>, pg::must<group_open>> {};
struct group_close : sym<'}'> {};

struct limit_target : name {};
struct limit_mode : pg::sor<kw_unless, kw_when> {};
struct limit_item
    : pg::seq<kw_limit, pg::must<limit_target, kw_to, signed_number, limit_mode, condition>> {};

// One top-level item; a group's rules are parsed one by one after its header.
struct top_item : pg::sor<model_item, version_item, scale_item, band_item, grade_item,
                          list_item_decl, group_header, limit_item> {};

}  // namespace leadscore::dsl::grammar
