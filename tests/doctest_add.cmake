# One ctest entry per doctest test suite, so ctest's summary says which area failed.
# Suites are found by scanning the sources for TEST_SUITE("name").
set(_suites "")
foreach(_src IN LISTS LEADSCORE_UNIT_TESTS)
  file(STRINGS ${_src} _lines REGEX "TEST_SUITE\\(\"[^\"]+\"")
  foreach(_line IN LISTS _lines)
    string(REGEX MATCH "TEST_SUITE\\(\"([^\"]+)\"" _m "${_line}")
    list(APPEND _suites "${CMAKE_MATCH_1}")
  endforeach()
endforeach()
list(REMOVE_DUPLICATES _suites)
foreach(_suite IN LISTS _suites)
  add_test(NAME unit.${_suite} COMMAND leadscore_tests --test-suite=${_suite} --no-intro)
endforeach()
# Test cases outside every TEST_SUITE would otherwise be skipped by ctest: one more entry runs
# them (doctest puts them in the unnamed suite).
list(JOIN _suites "," _all_suites)
add_test(NAME unit.outside_suites
         COMMAND leadscore_tests "--test-suite-exclude=${_all_suites}" --no-intro)
