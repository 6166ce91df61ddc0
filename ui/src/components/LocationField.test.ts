import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { defineComponent, h, reactive } from "vue";
import LocationField from "./LocationField.vue";
import { fakeGeolocation, mountAt } from "../test/tauri";

// The field as a form holds it: the values it emits are the form's.
const values = reactive({ lat: "", lon: "", accuracy: "" });
const Form = defineComponent(() => () =>
  h(LocationField, {
    lat: values.lat,
    lon: values.lon,
    accuracy: values.accuracy,
    "onUpdate:lat": (v: string) => (values.lat = v),
    "onUpdate:lon": (v: string) => (values.lon = v),
    "onUpdate:accuracy": (v: string) => (values.accuracy = v),
  }),
);

let geo: ReturnType<typeof fakeGeolocation>;
beforeEach(() => {
  Object.assign(values, { lat: "", lon: "", accuracy: "" });
  geo = fakeGeolocation();
});
afterEach(() => {
  geo.remove();
  vi.useRealTimers();
});

const status = (wrapper: Awaited<ReturnType<typeof mountAt>>["wrapper"]) => wrapper.find('[data-test="location-status"]');

describe("the position field", () => {
  it("keeps listening while fixes improve, ignores worse ones, and stops at 20 m", async () => {
    const { wrapper } = await mountAt(Form, "/hazard");
    expect(status(wrapper).text()).toBe("正在定位…");
    geo.fix(23.62, 105.63, 80);
    await flushPromises();
    expect(status(wrapper).attributes("data-state")).toBe("improving");
    expect(status(wrapper).text()).toContain("精度约 80 米，继续定位中（20 米以内为好）");
    expect(wrapper.find('[data-test="location-accept"]').exists()).toBe(true);
    geo.fix(23.6251, 105.6312, 35);
    geo.fix(23.7, 105.7, 60);
    await flushPromises();
    expect([values.lat, values.accuracy]).toEqual(["23.625100", "35"]);
    geo.fix(23.62512, 105.63121, 12);
    await flushPromises();
    expect(status(wrapper).attributes("data-state")).toBe("good");
    expect(status(wrapper).text()).toMatch(/^精度约 12 米 · \d+ 秒前$/);
    expect(values.accuracy).toBe("12");
    expect(geo.geolocation.clearWatch).toHaveBeenCalled();
    expect(wrapper.find('[data-test="location-accept"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("takes the best fix so far when the member accepts it, and says how old it is", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { wrapper } = await mountAt(Form, "/hazard");
    geo.fix(23.6251, 105.6312, 45, Date.now());
    await flushPromises();
    await wrapper.find('[data-test="location-accept"]').trigger("click");
    expect(status(wrapper).attributes("data-state")).toBe("accepted");
    expect(geo.geolocation.clearWatch).toHaveBeenCalled();
    vi.advanceTimersByTime(125_000);
    await flushPromises();
    expect(status(wrapper).text()).toBe("精度约 45 米（已确认使用） · 2 分钟前");
    expect(values.accuracy).toBe("45");
    wrapper.unmount();
  });

  it("gives up listening after two minutes with the best fix kept", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { wrapper } = await mountAt(Form, "/hazard");
    geo.fix(23.6251, 105.6312, 70);
    await flushPromises();
    vi.advanceTimersByTime(120_000);
    await flushPromises();
    expect(status(wrapper).attributes("data-state")).toBe("timed_out");
    expect(status(wrapper).text()).toContain("两分钟内未达到 20 米，精度约 70 米");
    expect(values.lat).toBe("23.625100");
    wrapper.unmount();
  });

  it("typed coordinates stop the GPS and win", async () => {
    const { wrapper } = await mountAt(Form, "/hazard");
    geo.fix(23.62, 105.63, 80);
    await flushPromises();
    await wrapper.find('[data-test="location-lat"] input').setValue("23.5");
    geo.fix(23.9, 105.9, 5);
    await flushPromises();
    expect(values.lat).toBe("23.5");
    expect(values.accuracy).toBe("");
    wrapper.unmount();
  });
});
