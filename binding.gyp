# The native addon, built by node-gyp (npm's bundled one works where cmake is missing). CMakeLists.txt builds the
# same addon with cmake-js; keep the sources and flags of the two in step.
{
  'targets': [
    {
      'target_name': 'diskpredict_native',
      'sources': [
        'native/addon.cc',
        'native/featurize_binding.cc',
        'native/featurize_columns.cc',
        'native/forest_scores.cc',
        'native/malloc_trim.cc',
        'native/peer_credentials.cc',
      ],
      'dependencies': [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except",
      ],
      'defines': [
        'NAPI_VERSION=8',
        'DISKPREDICT_BUILDER="node-gyp"',
      ],
      # Bit-identical to the TypeScript twin: no FMA contraction, no fast-math; C++17 with exceptions.
      'cflags!': ['-fno-exceptions'],
      'cflags_cc!': ['-fno-exceptions', '-std=gnu++17'],
      'cflags_cc': ['-std=c++17', '-fexceptions', '-ffp-contract=off', '-fno-fast-math', '-fvisibility=hidden'],
      'xcode_settings': {
        'GCC_ENABLE_CPP_EXCEPTIONS': 'YES',
        'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
        'OTHER_CPLUSPLUSFLAGS': ['-ffp-contract=off', '-fno-fast-math'],
      },
    },
  ],
}
