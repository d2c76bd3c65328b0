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
    (i32.sub (local.get $len) (local.get $out)))

  ;; The rectangle of a frame that differs from the previous frame (gif.ts's changedRect):
  ;; x, y, w, h in the globals below, 1×1 at the origin when nothing differs.
  (global $rectX (export "rectX") (mut i32) (i32.const 0))
  (global $rectY (export "rectY") (mut i32) (i32.const 0))
  (global $rectW (export "rectW") (mut i32) (i32.const 1))
  (global $rectH (export "rectH") (mut i32) (i32.const 1))

  ;; Whether bytes [a, a + n) equal [b, b + n), eight at a time.
  (func $same (param $a i32) (param $b i32) (param $n i32) (result i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.and (local.get $n) (i32.const -8))))
    (block $words
      (loop $word
        (br_if $words (i32.ge_u (local.get $a) (local.get $end)))
        (if (i64.ne (i64.load (local.get $a)) (i64.load (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $word)))
    (local.set $end (i32.add (local.get $end) (i32.and (local.get $n) (i32.const 7))))
    (block $bytes
      (loop $byte
        (br_if $bytes (i32.ge_u (local.get $a) (local.get $end)))
        (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $byte)))
    (i32.const 1))

  ;; changedRect, then gif.ts's crop: the rectangle's pixels of `now` at `out`, with runs of 8
  ;; or more pixels equal to `before` written as `transparent` when it is ≥ 0. Returns w * h.
  (func (export "diff") (param $now i32) (param $before i32) (param $width i32) (param $height i32)
    (param $transparent i32) (param $out i32) (result i32)
    (local $top i32) (local $bottom i32) (local $left i32) (local $right i32) (local $y i32)
    (local $row i32) (local $x i32) (local $w i32) (local $from i32) (local $rowEnd i32)
    (local $i i32) (local $start i32) (local $o i32)
    ;; rows equal from the top and from the bottom
    (block $found
      (loop $down
        (br_if $found (i32.ge_u (local.get $top) (local.get $height)))
        (local.set $row (i32.mul (local.get $top) (local.get $width)))
        (br_if $found (i32.eqz (call $same (i32.add (local.get $now) (local.get $row))
                                           (i32.add (local.get $before) (local.get $row))
                                           (local.get $width))))
        (local.set $top (i32.add (local.get $top) (i32.const 1)))
        (br $down)))
    (if (i32.eq (local.get $top) (local.get $height))
      (then
        (global.set $rectX (i32.const 0))
        (global.set $rectY (i32.const 0))
        (global.set $rectW (i32.const 1))
        (global.set $rectH (i32.const 1))
        (local.set $top (i32.const 0))
        (local.set $bottom (i32.const 0))
        (local.set $left (i32.const 0))
        (local.set $right (i32.const 0)))
      (else
        (local.set $bottom (i32.sub (local.get $height) (i32.const 1)))
        (block $foundUp
          (loop $up
            (br_if $foundUp (i32.le_u (local.get $bottom) (local.get $top)))
            (local.set $row (i32.mul (local.get $bottom) (local.get $width)))
            (br_if $foundUp (i32.eqz (call $same (i32.add (local.get $now) (local.get $row))
                                                 (i32.add (local.get $before) (local.get $row))
                                                 (local.get $width))))
            (local.set $bottom (i32.sub (local.get $bottom) (i32.const 1)))
            (br $up)))
        ;; the columns: each row moves the left edge left and the right edge right
        (local.set $left (local.get $width))
        (local.set $right (i32.const -1))
        (local.set $y (local.get $top))
        (loop $rows
          (local.set $row (i32.mul (local.get $y) (local.get $width)))
          (local.set $x (i32.const 0))
          (block $l
            (loop $scanLeft
              (br_if $l (i32.ge_s (local.get $x) (local.get $left)))
              (br_if $l (i32.ne (i32.load8_u (i32.add (local.get $now) (i32.add (local.get $row) (local.get $x))))
                                (i32.load8_u (i32.add (local.get $before) (i32.add (local.get $row) (local.get $x))))))
              (local.set $x (i32.add (local.get $x) (i32.const 1)))
              (br $scanLeft)))
          (if (i32.lt_s (local.get $x) (local.get $left)) (then (local.set $left (local.get $x))))
          (local.set $x (i32.sub (local.get $width) (i32.const 1)))
          (block $r
            (loop $scanRight
              (br_if $r (i32.le_s (local.get $x) (local.get $right)))
              (br_if $r (i32.ne (i32.load8_u (i32.add (local.get $now) (i32.add (local.get $row) (local.get $x))))
                                (i32.load8_u (i32.add (local.get $before) (i32.add (local.get $row) (local.get $x))))))
              (local.set $x (i32.sub (local.get $x) (i32.const 1)))
              (br $scanRight)))
          (if (i32.gt_s (local.get $x) (local.get $right)) (then (local.set $right (local.get $x))))
          (local.set $y (i32.add (local.get $y) (i32.const 1)))
          (br_if $rows (i32.le_u (local.get $y) (local.get $bottom))))
        (global.set $rectX (local.get $left))
        (global.set $rectY (local.get $top))
        (global.set $rectW (i32.add (i32.sub (local.get $right) (local.get $left)) (i32.const 1)))
        (global.set $rectH (i32.add (i32.sub (local.get $bottom) (local.get $top)) (i32.const 1)))))
    ;; crop
    (local.set $w (global.get $rectW))
    (local.set $o (local.get $out))
    (local.set $y (global.get $rectY))
    (local.set $bottom (i32.add (global.get $rectY) (global.get $rectH)))
    (block $cropped
      (loop $cropRow
        (br_if $cropped (i32.ge_u (local.get $y) (local.get $bottom)))
        (local.set $from (i32.add (i32.mul (local.get $y) (local.get $width)) (global.get $rectX)))
        (local.set $rowEnd (i32.add (local.get $from) (local.get $w)))
        (memory.copy (local.get $o) (i32.add (local.get $now) (local.get $from)) (local.get $w))
        (if (i32.ge_s (local.get $transparent) (i32.const 0))
          (then
            (local.set $i (local.get $from))
            (block $rowDone
              (loop $pixel
                (br_if $rowDone (i32.ge_u (local.get $i) (local.get $rowEnd)))
                (if (i32.ne (i32.load8_u (i32.add (local.get $now) (local.get $i)))
                            (i32.load8_u (i32.add (local.get $before) (local.get $i))))
                  (then
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $pixel)))
                ;; a run of unchanged pixels: transparent when 8 or longer
                (local.set $start (local.get $i))
                ;; eight equal pixels at a time, then one at a time
                (block $wordsEnd
                  (loop $words
                    (br_if $wordsEnd (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $rowEnd)))
                    (br_if $wordsEnd (i64.ne (i64.load (i32.add (local.get $now) (local.get $i)))
                                             (i64.load (i32.add (local.get $before) (local.get $i)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 8)))
                    (br $words)))
                (block $runEnd
                  (loop $run
                    (br_if $runEnd (i32.ge_u (local.get $i) (local.get $rowEnd)))
                    (br_if $runEnd (i32.ne (i32.load8_u (i32.add (local.get $now) (local.get $i)))
                                           (i32.load8_u (i32.add (local.get $before) (local.get $i)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $run)))
                (if (i32.ge_u (i32.sub (local.get $i) (local.get $start)) (i32.const 8))
                  (then
                    (memory.fill (i32.add (local.get $o) (i32.sub (local.get $start) (local.get $from)))
                                 (local.get $transparent)
                                 (i32.sub (local.get $i) (local.get $start)))))
                (br $pixel)))))
        (local.set $o (i32.add (local.get $o) (local.get $w)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $cropRow)))
    (i32.mul (local.get $w) (global.get $rectH))))
