import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { defineComponent, h, reactive } from "vue";
import LocationField from "./LocationField.vue";
import { callsOf, fakeGeolocation, mockCommands, mountAt } from "../test/tauri";

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

describe("coordinates typed from a map (坐标来源)", () => {
  // Funing as Gaode shows it, and the WGS-84 the shell answers for it.
  const GAODE = { lat: "23.497162", lon: "105.603065" };
  const WGS = { lat: 23.50000005, lon: 105.59999996 };
  const BAIDU_WGS = { lat: 23.4938, lon: 105.5936 };

  /** The shell's convert_to_wgs84, checking its numbers as it does. */
  function mockConversion(): void {
    mockCommands({
      convert_to_wgs84: ({ lat, lon, datum }: Record<string, unknown>) => {
        if (typeof lat !== "number" || lat < -90 || lat > 90) {
          throw {
            kind: "invalid",
            message: "纬度应为 -90 到 90 之间的数字",
            problems: [{ field: "lat", message: "纬度应为 -90 到 90 之间的数字", message_en: "latitude must be a number between -90 and 90, not 95" }],
          };
        }
        if (typeof lon !== "number") throw { kind: "invalid", message: "经度应为 -180 到 180 之间的数字", problems: [{ field: "lon", message: "经度应为 -180 到 180 之间的数字" }] };
        return datum === "bd09" ? BAIDU_WGS : datum === "gcj02" ? WGS : { lat, lon };
      },
    });
  }

  type Wrapper = Awaited<ReturnType<typeof mountAt>>["wrapper"];
  const picker = (wrapper: Wrapper) => wrapper.find('[data-test="location-datum"]');
  const note = (wrapper: Wrapper) => wrapper.find('[data-test="location-datum-note"]');

  async function typeCoordinates(wrapper: Wrapper, lat: string, lon: string): Promise<void> {
    await wrapper.find('[data-test="location-lat"] input').setValue(lat);
    await wrapper.find('[data-test="location-lon"] input').setValue(lon);
    await flushPromises();
  }

  async function pick(wrapper: Wrapper, datum: string): Promise<void> {
    await picker(wrapper).trigger("click");
    await flushPromises();
    await wrapper.find(`[data-test="location-datum-${datum}"]`).trigger("click");
    await flushPromises();
  }

  beforeEach(mockConversion);

  it("offers the picker only for typed coordinates, GPS / WGS-84 first, and converts Gaode's GCJ-02 to the WGS-84 saved", async () => {
    const { wrapper } = await mountAt(Form, "/hazard");
    geo.fix(23.62, 105.63, 12);
    await flushPromises();
    expect(picker(wrapper).exists()).toBe(false);

    await typeCoordinates(wrapper, GAODE.lat, GAODE.lon);
    expect(picker(wrapper).exists()).toBe(true);
    expect(picker(wrapper).text()).toContain("坐标来源");
    expect(picker(wrapper).find(".van-cell__value").text()).toBe("GPS / WGS-84");
    expect(picker(wrapper).attributes("data-datum")).toBe("wgs84");
    expect(note(wrapper).exists()).toBe(false);

    await picker(wrapper).trigger("click");
    await flushPromises();
    const options = wrapper.findAll('[data-test^="location-datum-"]').filter((option) => option.classes("van-cell"));
    expect(options.map((option) => option.text())).toEqual(["GPS / WGS-84", "高德·腾讯 (GCJ-02)", "百度 (BD-09)"]);
    await wrapper.find('[data-test="location-datum-gcj02"]').trigger("click");
    await flushPromises();

    expect(callsOf("convert_to_wgs84")).toEqual([{ lat: 23.497162, lon: 105.603065, datum: "gcj02" }]);
    // The form holds (and saves) the WGS-84, the fields show it.
    expect([values.lat, values.lon, values.accuracy]).toEqual(["23.500000", "105.600000", ""]);
    expect((wrapper.find('[data-test="location-lat"] input').element as HTMLInputElement).value).toBe("23.500000");
    expect(picker(wrapper).attributes("data-datum")).toBe("gcj02");
    expect(picker(wrapper).find(".van-cell__value").text()).toBe("高德·腾讯 (GCJ-02)");
    expect(note(wrapper).text()).toBe("已由 GCJ-02 换算为 WGS-84 · 原坐标 23.497162, 105.603065");
    wrapper.unmount();
  });

  it("converts what was typed, not the last conversion, and GPS / WGS-84 puts it back", async () => {
    const { wrapper } = await mountAt(Form, "/hazard");
    await typeCoordinates(wrapper, GAODE.lat, GAODE.lon);
    await pick(wrapper, "gcj02");
    await pick(wrapper, "bd09");
    expect(callsOf("convert_to_wgs84")[1]).toEqual({ lat: 23.497162, lon: 105.603065, datum: "bd09" });
    expect([values.lat, values.lon]).toEqual(["23.493800", "105.593600"]);
    expect(note(wrapper).text()).toContain("已由 BD-09 换算为 WGS-84");

    await pick(wrapper, "wgs84");
    expect(callsOf("convert_to_wgs84")).toHaveLength(2);
    expect([values.lat, values.lon]).toEqual([GAODE.lat, GAODE.lon]);
    expect(picker(wrapper).attributes("data-datum")).toBe("wgs84");
    expect(note(wrapper).exists()).toBe(false);
    wrapper.unmount();
  });

  it("typing again after a conversion is read as WGS-84, and a GPS fix takes the picker away", async () => {
    const { wrapper } = await mountAt(Form, "/hazard");
    await typeCoordinates(wrapper, GAODE.lat, GAODE.lon);
    await pick(wrapper, "gcj02");
    await wrapper.find('[data-test="location-lon"] input').setValue("105.61");
    await flushPromises();
    expect([values.lat, values.lon]).toEqual(["23.500000", "105.61"]);
    expect(picker(wrapper).attributes("data-datum")).toBe("wgs84");
    expect(note(wrapper).exists()).toBe(false);

    await wrapper.find('[data-test="location-gps"]').trigger("click");
    geo.fix(23.62512, 105.63121, 9);
    await flushPromises();
    expect(values.lat).toBe("23.625120");
    expect(picker(wrapper).exists()).toBe(false);
    wrapper.unmount();
  });

  it("asks for both numbers first, and shows the shell's invalid number under its field, nothing converted", async () => {
    const { wrapper } = await mountAt(Form, "/hazard");
    await wrapper.find('[data-test="location-lat"] input').setValue("23.497162");
    await flushPromises();
    await pick(wrapper, "gcj02");
    expect(callsOf("convert_to_wgs84")).toHaveLength(0);
    expect(wrapper.find('[data-test="location-datum-error"]').text()).toBe("请先填好纬度和经度，再选坐标来源");
    expect(picker(wrapper).attributes("data-datum")).toBe("wgs84");

    await typeCoordinates(wrapper, "95", GAODE.lon);
    await pick(wrapper, "gcj02");
    expect(callsOf("convert_to_wgs84")).toEqual([{ lat: 95, lon: 105.603065, datum: "gcj02" }]);
    expect(wrapper.find('[data-test="location-lat"]').text()).toContain("纬度应为 -90 到 90 之间的数字");
    expect([values.lat, values.lon]).toEqual(["95", GAODE.lon]);
    expect(picker(wrapper).attributes("data-datum")).toBe("wgs84");
    expect(note(wrapper).exists()).toBe(false);
    wrapper.unmount();
  });

  it("speaks English on an English phone", async () => {
    const { wrapper } = await mountAt(Form, "/hazard", {}, "en-US");
    await typeCoordinates(wrapper, GAODE.lat, GAODE.lon);
    expect(picker(wrapper).text()).toContain("Coordinates from");
    await picker(wrapper).trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-test="location-datum-gcj02"]').text()).toBe("Gaode / Tencent (GCJ-02)");
    expect(wrapper.find('[data-test="location-datum-bd09"]').text()).toBe("Baidu (BD-09)");
    await wrapper.find('[data-test="location-datum-gcj02"]').trigger("click");
    await flushPromises();
    expect(note(wrapper).text()).toBe("Converted from GCJ-02 to WGS-84 · typed 23.497162, 105.603065");

    await typeCoordinates(wrapper, "95", GAODE.lon);
    await pick(wrapper, "gcj02");
    expect(wrapper.find('[data-test="location-lat"]').text()).toContain("latitude must be a number between -90 and 90");
    wrapper.unmount();
  });
});
