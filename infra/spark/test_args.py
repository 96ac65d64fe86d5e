import contextlib
import io
import unittest

import lakestep as rt


def parse(*argv: str) -> rt.Args:
    return rt.parse_args(list(argv))


BASE = ["--job", "s3://art/lakestep/jobs/a.json", "--result", "s3://art/lakestep/results/a.json",
        "--param", "ds=2026-11-26", "--param", "ts=2026-11-26T06:00:00Z", "--param", "run_id=r1"]


class ParseArgsTest(unittest.TestCase):
    def test_parses_job_result_and_repeated_params(self):
        args = parse(*BASE, "--param", "watermark=", "--param", "q=a=b")
        self.assertEqual(args.job, "s3://art/lakestep/jobs/a.json")
        self.assertEqual(args.result, "s3://art/lakestep/results/a.json")
        self.assertEqual(args.params, {"ds": "2026-11-26", "ts": "2026-11-26T06:00:00Z",
                                       "run_id": "r1", "watermark": "", "q": "a=b"})

    def assert_usage_error(self, *argv: str):
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit) as caught:
            parse(*argv)
        self.assertEqual(caught.exception.code, 2)

    def test_refuses_missing_required_parameters(self):
        self.assert_usage_error(*BASE[:4], "--param", "ds=2026-11-26")

    def test_refuses_missing_job_or_result(self):
        self.assert_usage_error(*BASE[2:])
        self.assert_usage_error(*BASE[:2], *BASE[4:])

    def test_refuses_malformed_params(self):
        self.assert_usage_error(*BASE, "--param", "novalue")
        self.assert_usage_error(*BASE, "--param", "bad-name=1")

    def test_refuses_non_s3_uris_and_bad_ts(self):
        self.assert_usage_error("--job", "/tmp/a.json", *BASE[2:])
        self.assert_usage_error(*BASE[:6], "--param", "ts=yesterday", *BASE[8:])



class ParseTimestampTest(unittest.TestCase):
    def test_accepts_iso_forms_and_converts_to_utc(self):
        cases = {
            "2026-11-26": "2026-11-26T00:00:00.000000",
            "2026-11-26T06:00:00Z": "2026-11-26T06:00:00.000000",
            "2026-11-26 06:00:00.1+0200": "2026-11-26T04:00:00.100000",
            "2026-11-26T06:00:00.123456789-05:30": "2026-11-26T11:30:00.123456",
        }
        for value, want in cases.items():
            with self.subTest(value=value):
                self.assertEqual(rt.parse_timestamp(value).strftime("%Y-%m-%dT%H:%M:%S.%f"), want)

    def test_refuses_impossible_or_foreign_values(self):
        for value in ["2026-02-30", "2026-11-26T25:00:00Z", "2026-11-26T06:00:00+25:00", "26/11/2026", ""]:
            with self.subTest(value=value), self.assertRaises(rt.JobError):
                rt.parse_timestamp(value)


if __name__ == "__main__":
    unittest.main()
