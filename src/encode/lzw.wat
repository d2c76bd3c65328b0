;; GIF's variable-length LZW in WebAssembly: the same code stream as LzwEncoder (lzw.ts).
;; Memory: [0, 2 MiB) the (pixel << 12 | prefix) -> code table as u16, [2 MiB, +16 KiB) the
;; slots used since the last clear, then the pixels (n bytes at $in), then the packed codes
;; (at $out). The table is left empty on return.
(module
  (memory (export "memory") 34)
  (func (export "encode") (param $in i32) (param $n i32) (param $minCodeSize i32) (param $out i32) (result i32)
    (local $clearCode i32) (local $endCode i32) (local $initialBits i32) (local $bits i32)
    (local $maxCode i32) (local $nextCode i32) (local $used i32) (local $len i32)
    (local $acc i64) (local $accBits i32) (local $i i32) (local $end i32) (local $pixel i32)
    (local $prefix i32) (local $slot i32) (local $code i32) (local $k i32)
    (local.set $clearCode (i32.shl (i32.const 1) (local.get $minCodeSize)))
    (local.set $endCode (i32.add (local.get $clearCode) (i32.const 1)))
    (local.set $initialBits (i32.add (local.get $minCodeSize) (i32.const 1)))
    (local.set $bits (local.get $initialBits))
    (local.set $maxCode (i32.sub (i32.shl (i32.const 1) (local.get $bits)) (i32.const 1)))
    (local.set $nextCode (i32.add (local.get $clearCode) (i32.const 2)))
    (local.set $len (local.get $out))
    ;; the stream opens with a clear code
    (local.set $acc (i64.extend_i32_u (local.get $clearCode)))
    (local.set $accBits (local.get $bits))
    (if (i32.gt_s (local.get $n) (i32.const 0))
      (then
        (local.set $prefix (i32.load8_u (local.get $in)))
        (local.set $i (i32.add (local.get $in) (i32.const 1)))
        (local.set $end (i32.add (local.get $in) (local.get $n)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $pixel (i32.load8_u (local.get $i)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $slot (i32.or (i32.shl (local.get $pixel) (i32.const 12)) (local.get $prefix)))
            (local.set $code (i32.load16_u (i32.shl (local.get $slot) (i32.const 1))))
            (if (local.get $code)
              (then
                ;; the table knows this run: extend it
                (local.set $prefix (local.get $code))
                (br $next)))
            ;; emit the prefix's code
            (local.set $acc (i64.or (local.get $acc)
              (i64.shl (i64.extend_i32_u (local.get $prefix)) (i64.extend_i32_u (local.get $accBits)))))
            (local.set $accBits (i32.add (local.get $accBits) (local.get $bits)))
            (if (i32.ge_u (local.get $accBits) (i32.const 16))
              (then
                (i32.store16 (local.get $len) (i32.wrap_i64 (local.get $acc)))
                (local.set $len (i32.add (local.get $len) (i32.const 2)))
                (local.set $acc (i64.shr_u (local.get $acc) (i64.const 16)))
                (local.set $accBits (i32.sub (local.get $accBits) (i32.const 16)))))
            ;; widen once the next code no longer fits (the decoder lags by one)
            (if (i32.and (i32.gt_s (local.get $nextCode) (local.get $maxCode))
                         (i32.lt_s (local.get $bits) (i32.const 12)))
              (then
                (local.set $bits (i32.add (local.get $bits) (i32.const 1)))
                (local.set $maxCode
                  (select (i32.const 4096)
                          (i32.sub (i32.shl (i32.const 1) (local.get $bits)) (i32.const 1))
                          (i32.eq (local.get $bits) (i32.const 12))))))
            (if (i32.lt_s (local.get $nextCode) (i32.const 4096))
              (then
                (i32.store16 (i32.shl (local.get $slot) (i32.const 1)) (local.get $nextCode))
                (local.set $nextCode (i32.add (local.get $nextCode) (i32.const 1)))
                (i32.store (i32.add (i32.const 2097152) (i32.shl (local.get $used) (i32.const 2)))
                           (local.get $slot))
                (local.set $used (i32.add (local.get $used) (i32.const 1))))
              (else
                ;; the table is full: a clear code (still at 12 bits), then start afresh
                (local.set $acc (i64.or (local.get $acc)
                  (i64.shl (i64.extend_i32_u (local.get $clearCode)) (i64.extend_i32_u (local.get $accBits)))))
                (local.set $accBits (i32.add (local.get $accBits) (local.get $bits)))
                (if (i32.ge_u (local.get $accBits) (i32.const 16))
                  (then
                    (i32.store16 (local.get $len) (i32.wrap_i64 (local.get $acc)))
                    (local.set $len (i32.add (local.get $len) (i32.const 2)))
                    (local.set $acc (i64.shr_u (local.get $acc) (i64.const 16)))
                    (local.set $accBits (i32.sub (local.get $accBits) (i32.const 16)))))
                (local.set $k (i32.const 0))
                (block $cleared
                  (loop $clear
                    (br_if $cleared (i32.ge_u (local.get $k) (local.get $used)))
                    (i32.store16
                      (i32.shl (i32.load (i32.add (i32.const 2097152) (i32.shl (local.get $k) (i32.const 2))))
                               (i32.const 1))
                      (i32.const 0))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $clear)))
                (local.set $used (i32.const 0))
                (local.set $nextCode (i32.add (local.get $clearCode) (i32.const 2)))
                (local.set $bits (local.get $initialBits))
                (local.set $maxCode (i32.sub (i32.shl (i32.const 1) (local.get $bits)) (i32.const 1)))))
            (local.set $prefix (local.get $pixel))
            (br $next)))
        ;; the last run
        (local.set $acc (i64.or (local.get $acc)
          (i64.shl (i64.extend_i32_u (local.get $prefix)) (i64.extend_i32_u (local.get $accBits)))))
        (local.set $accBits (i32.add (local.get $accBits) (local.get $bits)))
        (if (i32.ge_u (local.get $accBits) (i32.const 16))
          (then
            (i32.store16 (local.get $len) (i32.wrap_i64 (local.get $acc)))
            (local.set $len (i32.add (local.get $len) (i32.const 2)))
            (local.set $acc (i64.shr_u (local.get $acc) (i64.const 16)))
            (local.set $accBits (i32.sub (local.get $accBits) (i32.const 16)))))
        (if (i32.and (i32.gt_s (local.get $nextCode) (local.get $maxCode))
                     (i32.lt_s (local.get $bits) (i32.const 12)))
          (then (local.set $bits (i32.add (local.get $bits) (i32.const 1)))))))
    ;; the end code, then what is left of the last byte
    (local.set $acc (i64.or (local.get $acc)
      (i64.shl (i64.extend_i32_u (local.get $endCode)) (i64.extend_i32_u (local.get $accBits)))))
    (local.set $accBits (i32.add (local.get $accBits) (local.get $bits)))
    (block $flushed
      (loop $flush
        (br_if $flushed (i32.le_s (local.get $accBits) (i32.const 0)))
        (i32.store8 (local.get $len) (i32.wrap_i64 (local.get $acc)))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (local.set $acc (i64.shr_u (local.get $acc) (i64.const 8)))
        (local.set $accBits (i32.sub (local.get $accBits) (i32.const 8)))
        (br $flush)))
    ;; leave the table empty
    (local.set $k (i32.const 0))
    (block $cleared
      (loop $clear
        (br_if $cleared (i32.ge_u (local.get $k) (local.get $used)))
        (i32.store16
          (i32.shl (i32.load (i32.add (i32.const 2097152) (i32.shl (local.get $k) (i32.const 2))))
                   (i32.const 1))
          (i32.const 0))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $clear)))
    (i32.sub (local.get $len) (local.get $out))))
