;; Palette.indexFrame's loop (palette.ts) in WebAssembly: each RGBA pixel (one little-endian
;; word) to its palette index. A pixel equal to the one before reuses its index; others go
;; through a direct-mapped cache of whole words, and on a miss to the imported `lookup` (the
;; palette's own mapping, a pure function of the word), so the indices are palette.ts's.
;;
;; index(rgba, n, out) maps n words at `rgba` to n bytes at `out`. Memory: [0, 256 KiB) the
;; cache's words, [256 KiB, 384 KiB) their index + 1 (0: empty), then the caller's areas.
(module
  (import "palette" "lookup" (func $lookup (param i32) (result i32)))
  (memory (export "memory") 6)
  (func (export "index") (param $rgba i32) (param $n i32) (param $out i32)
    (local $i i32) (local $word i32) (local $lastWord i32) (local $lastIndex i32)
    (local $slot i32) (local $end i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    ;; the first pixel sets the run (any word may occur, so none can mean "no run yet")
    (local.set $lastWord (i32.xor (i32.load (local.get $rgba)) (i32.const -1)))
    (local.set $end (i32.add (local.get $out) (local.get $n)))
    (local.set $i (local.get $out))
    (loop $pixel
      (local.set $word (i32.load (local.get $rgba)))
      (if (i32.ne (local.get $word) (local.get $lastWord))
        (then
          (local.set $lastWord (local.get $word))
          ;; Fibonacci hashing, as palette.ts: the top 16 bits of word * 0x9e3779b1
          (local.set $slot (i32.shr_u (i32.mul (local.get $word) (i32.const 0x9e3779b1))
                                      (i32.const 16)))
          (if (i32.and
                (i32.ne (i32.load16_u (i32.add (i32.const 262144)
                                               (i32.shl (local.get $slot) (i32.const 1))))
                        (i32.const 0))
                (i32.eq (i32.load (i32.shl (local.get $slot) (i32.const 2)))
                        (local.get $word)))
            (then
              (local.set $lastIndex
                (i32.sub (i32.load16_u (i32.add (i32.const 262144)
                                                (i32.shl (local.get $slot) (i32.const 1))))
                         (i32.const 1))))
            (else
              (local.set $lastIndex (call $lookup (local.get $word)))
              (i32.store (i32.shl (local.get $slot) (i32.const 2)) (local.get $word))
              (i32.store16 (i32.add (i32.const 262144) (i32.shl (local.get $slot) (i32.const 1)))
                           (i32.add (local.get $lastIndex) (i32.const 1)))))))
      (i32.store8 (local.get $i) (local.get $lastIndex))
      (local.set $rgba (i32.add (local.get $rgba) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $pixel (i32.lt_u (local.get $i) (local.get $end))))))
