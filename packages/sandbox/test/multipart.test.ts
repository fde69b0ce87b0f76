import { describe, expect, it } from "@effect/vitest"
import * as Multipart from "../src/internal/multipart.js"

const crlf = "\r\n"

describe("multipart", () => {
  it("reads the boundary, quoted or not, only from multipart/form-data", () => {
    expect(Multipart.boundaryOf("multipart/form-data; boundary=abc")).toBe("abc")
    expect(Multipart.boundaryOf("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"")).toBe("a b")
    expect(Multipart.boundaryOf("application/json")).toBeUndefined()
    expect(Multipart.boundaryOf("multipart/form-data")).toBeUndefined()
  })

  it("splits files and text fields, keeping bytes that look like line breaks and dashes", () => {
    const binary = Buffer.from([0x89, 0x50, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff])
    const body = Buffer.concat([
      Buffer.from(`--XyZ${crlf}Content-Disposition: form-data; name="note"${crlf}${crlf}hello${crlf}`),
      Buffer.from(`--XyZ${crlf}Content-Disposition: form-data; name="files"; filename="a \\"b\\".png"${crlf}`),
      Buffer.from(`Content-Type: image/png${crlf}${crlf}`),
      binary,
      Buffer.from(`${crlf}--XyZ${crlf}Content-Disposition: form-data; name="files"; filename="c.gif"${crlf}`),
      Buffer.from(`Content-Type: image/gif${crlf}${crlf}GIF${crlf}--XyZ--${crlf}`)
    ])
    const read = Multipart.toBody("multipart/form-data; boundary=XyZ", body)
    if (!("body" in read)) throw new Error(read.problem)
    expect(read.body["note"]).toBe("hello")
    const files = read.body["files"] as Array<{ name: string; content: Uint8Array; contentType: string }>
    expect(files.map((f) => [f.name, f.contentType])).toEqual([["a \"b\".png", "image/png"], ["c.gif", "image/gif"]])
    expect(Buffer.from(files[0]!.content).equals(binary)).toBe(true)
    expect(Buffer.from(files[1]!.content).toString()).toBe("GIF")
  })

  it("refuses a body that is not multipart or is cut short", () => {
    expect(Multipart.toBody("application/json", Buffer.from("{}"))).toHaveProperty("problem")
    const cut = Buffer.from(
      `--XyZ${crlf}Content-Disposition: form-data; name="files"; filename="a.png"${crlf}${crlf}abc`
    )
    expect(Multipart.toBody("multipart/form-data; boundary=XyZ", cut)).toHaveProperty("problem")
  })
})
