# octopus_module(NAME SOURCES ... DEPS ...): one static library per module under src/.
function(octopus_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(octopus_${name} STATIC ${ARG_SOURCES})
  target_include_directories(octopus_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(octopus_${name} PUBLIC ${ARG_DEPS})
  octopus_warnings(octopus_${name})
endfunction()

# octopus_test(NAME SOURCES ... DEPS ...): a GoogleTest binary registered with CTest.
function(octopus_test name)
  if(NOT OCTOPUS_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    OCTOPUS_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/data"
    OCTOPUS_TEST_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
    OCTOPUS_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  octopus_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "OCTOPUS_DATA_DIR=${PROJECT_SOURCE_DIR}/data")
endfunction()

function(octopus_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(OCTOPUS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(OCTOPUS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
