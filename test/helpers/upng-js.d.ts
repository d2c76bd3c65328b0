/** The part of upng-js (an independent PNG/APNG decoder) the tests use; it ships no types. */
declare module 'upng-js' {
  interface UpngFrame {
    rect: { x: number; y: number; width: number; height: number };
    delay: number;
    dispose: number;
    blend: number;
  }
  interface UpngImage {
    width: number;
    height: number;
    frames: UpngFrame[];
    tabs: Record<string, unknown>;
  }
  const UPNG: {
    decode(bytes: ArrayBuffer | Uint8Array): UpngImage;
    /** Every frame composited, as RGBA. */
    toRGBA8(img: UpngImage): ArrayBuffer[];
  };
  export default UPNG;
}
