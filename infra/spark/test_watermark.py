import unittest
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import lakestep as rt
from spark_fakes import PARAMS, FakeFrame, FakeSpark, Harness


class FormatWatermarkTest(unittest.TestCase):
    def test_timestamps_are_fixed_width_iso_utc(self):
        cases = [
            (datetime(2026, 11, 26, 6, 0, tzinfo=timezone.utc), "2026-11-26T06:00:00.000000Z"),
            (datetime(2026, 11, 26, 8, 0, 0, 123, tzinfo=timezone(timedelta(hours=2))), "2026-11-26T06:00:00.000123Z"),
            (datetime(2026, 1, 2, 3, 4, 5), "2026-01-02T03:04:05.000000Z"),  # NTZ: wall clock read as UTC
            (date(2026, 11, 26), "2026-11-26T00:00:00.000000Z"),
            ("2026-11-26T06:00:00Z", "2026-11-26T06:00:00.000000Z"),
        ]
        for value, want in cases:
            with self.subTest(value=value):
                got = rt.format_watermark(value, ntz=True)
                self.assertEqual(got, want)
                self.assertEqual(len(got), len("2026-11-26T06:00:00.000000Z"))

    def test_naive_timestamp_column_value_is_local_time(self):
        local = datetime(2026, 11, 26, 6, 0)
        want = local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        self.assertEqual(rt.format_watermark(local), want)

    def test_strings_compare_in_time_order(self):
        values = [datetime(2026, 11, 26, 6, 0, 0, 5, tzinfo=timezone.utc), datetime(2026, 11, 26, 6, 0, 1, tzinfo=timezone.utc),
                  datetime(2026, 11, 26, 6, 0, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc)]
        formatted = [rt.format_watermark(v) for v in values]
        self.assertEqual(sorted(formatted), [rt.format_watermark(v) for v in sorted(values)])

    def test_numbers_and_none(self):
        self.assertEqual(rt.format_watermark(42), "00000000000000000042")
        self.assertEqual(rt.format_watermark(Decimal("1E+3")), "00000000000000001000")
        self.assertEqual(rt.format_watermark("17"), "00000000000000000017")
        self.assertEqual(rt.format_watermark(Decimal("2.50")), "00000000000000000002.50")

    def test_numbers_sort_as_strings_in_numeric_order(self):
        values = [9, 10, 0, 123456789012345, Decimal("9.5")]
        self.assertEqual(sorted(rt.format_watermark(v) for v in values),
                         [rt.format_watermark(v) for v in sorted(values)])
        with self.assertRaises(rt.JobError):
            rt.format_watermark(-1)
        self.assertIsNone(rt.format_watermark(None))
        with self.assertRaises(rt.JobError):
            rt.format_watermark(True)
        with self.assertRaises(rt.JobError):
            rt.format_watermark("not a timestamp")


class WatermarkStepTest(unittest.TestCase):
    STEP = {"kind": "watermark", "name": "orders-watermark", "key": "raw_orders.orders",
            "sql": "SELECT max(updated_at) FROM c.raw_orders.orders WHERE ds <= :ds"}

    def run_step(self, frame_rows, type_name="timestamp"):
        spark = FakeSpark()
        spark.results = {"max(updated_at)": FakeFrame(spark, rows=frame_rows, type_name=type_name)}
        h = Harness(spark=spark)
        ctx = h.context(PARAMS)
        rt.step_watermark(ctx, self.STEP)
        return h, ctx

    def test_records_the_value_under_its_key(self):
        h, ctx = self.run_step([(datetime(2026, 11, 26, 5, 59, 59),)], type_name="timestamp_ntz")
        self.assertEqual(ctx.watermarks, {"raw_orders.orders": "2026-11-26T05:59:59.000000Z"})
        self.assertEqual(h.spark.calls, [(self.STEP["sql"], {"ds": "2026-11-26"})])

    def test_null_or_no_row_changes_nothing(self):
        for rows in ([(None,)], []):
            with self.subTest(rows=rows):
                _, ctx = self.run_step(rows)
                self.assertEqual(ctx.watermarks, {})
                self.assertEqual(ctx.params["raw_orders.orders"], "")

    def test_value_becomes_a_parameter_of_later_steps(self):
        _, ctx = self.run_step([(datetime(2026, 11, 26, 5, 59, 59),)], type_name="timestamp_ntz")
        self.assertEqual(ctx.params["raw_orders.orders"], "2026-11-26T05:59:59.000000Z")


if __name__ == "__main__":
    unittest.main()
