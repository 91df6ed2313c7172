# Installs the build tree into WORK_DIR/prefix, then configures, builds and runs two consumers
# of the installed package: consumer.cpp, and the embedding example of the README, taken from
# between its `readme-example` markers exactly as a reader would copy it.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "install failed")
endif()

file(READ ${README} readme)
string(REGEX MATCH "<!-- readme-example: begin -->\n```cpp\n(.*)```\n<!-- readme-example: end -->"
       found "${readme}")
if(NOT found)
  message(FATAL_ERROR "README.md has no ```cpp block between the readme-example markers")
endif()
file(MAKE_DIRECTORY ${WORK_DIR}/src)
file(COPY ${SOURCE_DIR}/CMakeLists.txt ${SOURCE_DIR}/consumer.cpp DESTINATION ${WORK_DIR}/src)
file(WRITE ${WORK_DIR}/src/readme_example.cpp "${CMAKE_MATCH_1}")

execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK_DIR}/src -B ${WORK_DIR}/build
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the consumers failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the consumers failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "the consumer did not score the lead as expected")
endif()
execute_process(COMMAND ${WORK_DIR}/build/readme_example ${EXAMPLE_MODEL} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out)
message("${out}")
# The example lead is a 450-employee software VP who viewed pricing and asked for a demo.
if(rc OR NOT out MATCHES "^L1: [0-9.]+ \\(mql\\)\n  firmographics 39 A\n")
  message(FATAL_ERROR "the README example did not print the expected score (exit ${rc})")
endif()
