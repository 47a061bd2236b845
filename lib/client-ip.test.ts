import { expect, test } from "vitest";
import { clientIpFromForwardedFor } from "./client-ip";

test.each([
  // One proxy (the default): the rightmost entry is the peer our proxy saw.
  { header: "203.0.113.5", proxies: 1, expected: "203.0.113.5" },
  { header: "6.6.6.6, 203.0.113.5", proxies: 1, expected: "203.0.113.5" },
  { header: "1.1.1.1, 2.2.2.2, 3.3.3.3, 203.0.113.5", proxies: 1, expected: "203.0.113.5" },
  // Two proxies (a CDN, then a load balancer): one place further left.
  { header: "6.6.6.6, 203.0.113.5, 10.0.0.2", proxies: 2, expected: "203.0.113.5" },
  { header: "203.0.113.5, 10.0.0.2", proxies: 2, expected: "203.0.113.5" },
  // Fewer entries than proxies: the leftmost, which a proxy still wrote.
  { header: "10.0.0.2", proxies: 2, expected: "10.0.0.2" },
  { header: "203.0.113.5, 10.0.0.2", proxies: 5, expected: "203.0.113.5" },
  // Zero proxies: the header is ignored whatever it says.
  { header: "203.0.113.5", proxies: 0, expected: null },
  { header: "6.6.6.6, 203.0.113.5", proxies: 0, expected: null },
  // Spaces, empty entries, repeated headers joined by ", ".
  { header: "  6.6.6.6 ,203.0.113.5  ", proxies: 1, expected: "203.0.113.5" },
  { header: "6.6.6.6,, 203.0.113.5,", proxies: 1, expected: "203.0.113.5" },
  { header: " , ", proxies: 1, expected: null },
  { header: "", proxies: 1, expected: null },
  { header: null, proxies: 1, expected: null },
  // IPv6, bracketed with a port, IPv4 with a port, IPv4-mapped IPv6.
  { header: "6.6.6.6, 2001:DB8::1", proxies: 1, expected: "2001:db8::1" },
  { header: "[2001:db8::1]:443", proxies: 1, expected: "2001:db8::1" },
  { header: "203.0.113.5:41234", proxies: 1, expected: "203.0.113.5" },
  { header: "::ffff:203.0.113.5", proxies: 1, expected: "203.0.113.5" },
  { header: "::1", proxies: 1, expected: "::1" },
  // A spoofed prefix cannot reach the trusted position, and garbage there is no address.
  { header: "unknown, 203.0.113.5", proxies: 1, expected: "203.0.113.5" },
  { header: "203.0.113.5, unknown", proxies: 1, expected: null },
  { header: "<script>, 203.0.113.5, 10.0.0.2", proxies: 2, expected: "203.0.113.5" },
])("X-Forwarded-For '$header' behind $proxies proxies is $expected", ({ header, proxies, expected }) => {
  expect(clientIpFromForwardedFor(header, proxies)).toBe(expected);
});

test("rotating the client-written part does not change the address", () => {
  const addresses = new Set(
    Array.from({ length: 20 }, (_, index) => clientIpFromForwardedFor(`10.${index}.0.1, 198.51.100.7`, 1)),
  );
  expect([...addresses]).toEqual(["198.51.100.7"]);
});
