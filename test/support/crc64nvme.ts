// CRC64/NVME, one of the checksums S3 takes (x-amz-checksum-crc64nvme); neither node:zlib nor node:crypto has it.

const polynomial = 0x9a6c9329ac4bc9b5n;
const mask = 0xffffffffffffffffn;

const table = Array.from({ length: 256 }, (_, n) => {
  let c = BigInt(n);
  for (let k = 0; k < 8; k++) c = c & 1n ? polynomial ^ (c >> 1n) : c >> 1n;
  return c;
});

/** Big-endian, as S3 sends it base64-encoded. */
export function crc64nvme(data: Buffer): Buffer {
  let crc = mask;
  for (const byte of data) crc = (table[Number((crc ^ BigInt(byte)) & 0xffn)] as bigint) ^ (crc >> 8n);
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE((crc ^ mask) & mask);
  return out;
}
