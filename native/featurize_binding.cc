#include "featurize_binding.h"

#include <algorithm>
#include <string>
#include <vector>

#include "featurize_columns.h"

namespace diskpredict {

namespace {

// Per-environment state (worker threads each get their own): the layout and a reusable scratch column.
struct FeatureState {
  FeatureLayout layout;
  bool configured = false;
  std::vector<double> scratch;
  std::vector<std::size_t> windows;
  std::vector<ColumnView> raw;
  std::vector<ColumnView> norm;
};

FeatureState& State(Napi::Env env) {
  FeatureState* state = env.GetInstanceData<FeatureState>();
  if (state == nullptr) {
    state = new FeatureState();
    env.SetInstanceData(state);  // deleted by node-addon-api's default finalizer when the environment ends
  }
  return *state;
}

template <typename T>
Napi::TypedArrayOf<T> TypedArrayArg(const Napi::Value& value, napi_typedarray_type type, const char* what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw Napi::TypeError::New(value.Env(), std::string(what) + " must be a " +
                                                (type == napi_float64_array ? "Float64Array"
                                                 : type == napi_int32_array ? "Int32Array"
                                                                            : "Uint8Array"));
  }
  return value.As<Napi::TypedArrayOf<T>>();
}

double NumberArg(const Napi::Value& value, const char* what) {
  if (!value.IsNumber()) throw Napi::TypeError::New(value.Env(), std::string(what) + " must be a number");
  return value.As<Napi::Number>().DoubleValue();
}

// raw[] / norm[]: at least `count` Float64Array columns (the TypeScript function reads exactly that many).
void ColumnsArg(const Napi::Value& value, std::size_t count, const char* what, std::vector<ColumnView>& columns) {
  if (!value.IsArray()) throw Napi::TypeError::New(value.Env(), std::string(what) + " must be an array");
  Napi::Array array = value.As<Napi::Array>();
  if (array.Length() < count) {
    throw Napi::TypeError::New(value.Env(), std::string(what) + " has " + std::to_string(array.Length()) +
                                                " columns, needs " + std::to_string(count));
  }
  columns.resize(count);
  // Plain N-API here: two calls per column instead of node-addon-api's five (this is the per-call overhead).
  napi_env env = value.Env();
  for (std::size_t a = 0; a < count; a++) {
    napi_value element;
    bool isTypedArray = false;
    napi_typedarray_type type;
    std::size_t length = 0;
    void* data = nullptr;
    if (napi_get_element(env, array, static_cast<std::uint32_t>(a), &element) != napi_ok ||
        napi_is_typedarray(env, element, &isTypedArray) != napi_ok || !isTypedArray ||
        napi_get_typedarray_info(env, element, &type, &length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_float64_array) {
      throw Napi::TypeError::New(value.Env(), std::string(what) + "[" + std::to_string(a) + "] must be a Float64Array");
    }
    columns[a] = ColumnView{static_cast<const double*>(data), length};
  }
}

FeatureState& ConfiguredState(Napi::Env env) {
  FeatureState& state = State(env);
  if (!state.configured) throw Napi::Error::New(env, "featureSetup has not been called");
  return state;
}

void RequireOutputRows(const Napi::Float64Array& out, std::size_t rows, std::size_t featureCount) {
  if (out.ElementLength() / featureCount < rows) {
    throw Napi::RangeError::New(out.Env(), "output holds " + std::to_string(out.ElementLength()) + " values, needs " +
                                               std::to_string(rows * featureCount));
  }
}

// Like TypedArray.subarray(start, end): a column shorter than the batch yields a shorter (or empty) view.
ColumnView SubColumn(const ColumnView& column, std::size_t start, std::size_t end) {
  const std::size_t from = std::min(start, column.length);
  return ColumnView{column.data + from, std::min(end, column.length) - from};
}

void RequireArgs(const Napi::CallbackInfo& info, std::size_t count, const char* name) {
  if (info.Length() < count) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + ": expected " + std::to_string(count) + " arguments");
  }
}

}  // namespace

Napi::Value FeatureSetup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireArgs(info, 3, "featureSetup");
  Napi::Uint8Array monotonic = TypedArrayArg<std::uint8_t>(info[0], napi_uint8_array, "monotonic");
  Napi::Int32Array errorSumSlots = TypedArrayArg<std::int32_t>(info[1], napi_int32_array, "errorSumSlots");
  const double featureCount = NumberArg(info[2], "featureCount");
  const std::size_t attributes = monotonic.ElementLength();
  if (featureCount != static_cast<double>(attributes * kKinds + kAggregates)) {
    throw Napi::RangeError::New(env, "feature layout changed: " + std::to_string(attributes) + " attributes x " +
                                         std::to_string(kKinds) + " kinds + " + std::to_string(kAggregates) +
                                         " aggregates != featureCount; the native port is out of date");
  }
  FeatureLayout layout;
  layout.attributes = attributes;
  layout.featureCount = attributes * kKinds + kAggregates;
  layout.monotonic.assign(monotonic.Data(), monotonic.Data() + attributes);
  for (std::size_t e = 0; e < errorSumSlots.ElementLength(); e++) {
    const std::int32_t slot = errorSumSlots[e];
    if (slot < 0 || static_cast<std::size_t>(slot) >= attributes) {
      throw Napi::RangeError::New(env, "errorSumSlots[" + std::to_string(e) + "] is not an attribute slot");
    }
    layout.errorSumSlots.push_back(slot);
  }
  FeatureState& state = State(env);
  state.layout = std::move(layout);
  state.configured = true;
  return env.Undefined();
}

Napi::Value FeaturizeColumns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireArgs(info, 6, "featurizeColumns");
  FeatureState& state = ConfiguredState(env);
  const FeatureLayout& layout = state.layout;
  Napi::Int32Array days = TypedArrayArg<std::int32_t>(info[0], napi_int32_array, "days");
  ColumnsArg(info[1], layout.attributes, "raw", state.raw);
  ColumnsArg(info[2], layout.attributes, "norm", state.norm);
  Napi::Float64Array out = TypedArrayArg<double>(info[5], napi_float64_array, "out");
  const std::size_t n = days.ElementLength();
  RequireOutputRows(out, n, layout.featureCount);
  HistoryView history;
  history.days = days.Data();
  history.n = n;
  history.raw = state.raw.data();
  history.norm = state.norm.data();
  history.capacityBytes = NumberArg(info[3], "capacityBytes");
  history.vendorCode = NumberArg(info[4], "vendorCode");
  FeaturizeHistory(layout, history, out.Data(), state.scratch, state.windows);
  return env.Undefined();
}

Napi::Value FeaturizeBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireArgs(info, 7, "featurizeBatch");
  FeatureState& state = ConfiguredState(env);
  const FeatureLayout& layout = state.layout;
  Napi::Int32Array offsets = TypedArrayArg<std::int32_t>(info[0], napi_int32_array, "offsets");
  Napi::Int32Array days = TypedArrayArg<std::int32_t>(info[1], napi_int32_array, "days");
  ColumnsArg(info[2], layout.attributes, "raw", state.raw);
  ColumnsArg(info[3], layout.attributes, "norm", state.norm);
  Napi::Float64Array capacityBytes = TypedArrayArg<double>(info[4], napi_float64_array, "capacityBytes");
  Napi::Float64Array vendorCode = TypedArrayArg<double>(info[5], napi_float64_array, "vendorCode");
  Napi::Float64Array out = TypedArrayArg<double>(info[6], napi_float64_array, "out");

  // The TypeScript wrapper validates the same way first; these checks keep the addon memory-safe on its own.
  if (offsets.ElementLength() == 0) throw Napi::RangeError::New(env, "offsets must hold histories + 1 entries");
  const std::size_t histories = offsets.ElementLength() - 1;
  if (capacityBytes.ElementLength() < histories || vendorCode.ElementLength() < histories) {
    throw Napi::RangeError::New(env, "capacityBytes and vendorCode need one entry per history");
  }
  const std::int32_t* off = offsets.Data();
  if (off[0] != 0) throw Napi::RangeError::New(env, "offsets[0] must be 0");
  for (std::size_t h = 0; h < histories; h++) {
    if (off[h + 1] < off[h]) throw Napi::RangeError::New(env, "offsets must not decrease");
  }
  const std::size_t rows = static_cast<std::size_t>(off[histories]);
  if (rows != days.ElementLength()) throw Napi::RangeError::New(env, "offsets must end at days.length");
  RequireOutputRows(out, rows, layout.featureCount);

  std::vector<ColumnView> raw(layout.attributes);
  std::vector<ColumnView> norm(layout.attributes);
  for (std::size_t h = 0; h < histories; h++) {
    const std::size_t start = static_cast<std::size_t>(off[h]);
    const std::size_t end = static_cast<std::size_t>(off[h + 1]);
    for (std::size_t a = 0; a < layout.attributes; a++) {
      raw[a] = SubColumn(state.raw[a], start, end);
      norm[a] = SubColumn(state.norm[a], start, end);
    }
    HistoryView history;
    history.days = days.Data() + start;
    history.n = end - start;
    history.raw = raw.data();
    history.norm = norm.data();
    history.capacityBytes = capacityBytes[h];
    history.vendorCode = vendorCode[h];
    FeaturizeHistory(layout, history, out.Data() + start * layout.featureCount, state.scratch, state.windows);
  }
  return env.Undefined();
}

}  // namespace diskpredict
