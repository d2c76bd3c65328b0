;; The CSV fast path of csv.ts (readChunkFast) for files of numbers and unquoted text, in
;; WebAssembly: records of plain decimals ("-12.5", at most 15 digits) become float64s, with
;; the same arithmetic as the JavaScript, so the same values. Anything else (a quote, an empty
;; or longer number, a missing or extra field, a record that runs past the window) stops it
;; at the start of that record, which the JavaScript then reads.
;;
;; parse(in, end, delim, ncols, out, maxRows, ints, skip, text, plain) reads records from bytes
;; [in, end).
;; Column c has the area at out + c * maxRows * 8: a float64 per row, or an int32 per row when
;; bit c of `ints` is set (csv.ts's whole-number columns; a value that is not an int32 there
;; stops it too, for the JavaScript to widen the column). A column with its bit of `skip` set
;; is not stored (a spec that never reads it): its text is passed over. A column with its bit
;; of `text` set holds text: its area gets each row's field as two int32s, where its bytes
;; start and end in memory, for the JavaScript to look up in the column's dictionary. A number
;; with a leading zero ("00501", a code) in a column with its bit of `plain` set stops it: the
;; JavaScript reads that column as text. It returns the rows read; the global `stop` holds
;; where it stopped (a record's start, or `end`).
(module
  (memory (export "memory") 1)
  (global $stop (export "stop") (mut i32) (i32.const 0))
  (func (export "parse")
    (param $in i32) (param $end i32) (param $delim i32) (param $ncols i32)
    (param $out i32) (param $maxRows i32) (param $ints i32) (param $skip i32) (param $text i32)
    (param $plain i32)
    (result i32)
    (local $i i32) (local $rows i32) (local $rowStart i32) (local $c i32) (local $b i32)
    (local $negative i32) (local $int i64) (local $frac i64) (local $scale i64)
    (local $digits i32) (local $value f64) (local $area i32) (local $whole i32)
    (local $start i32)
    (local.set $i (local.get $in))
    (block $bail
      (block $done
        (loop $record
          (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
          (local.set $b (i32.load8_u (local.get $i)))
          ;; a blank line is not a record (with one column it is a missing value: JavaScript's)
          (if (i32.and (i32.gt_s (local.get $ncols) (i32.const 1))
                       (i32.or (i32.eq (local.get $b) (i32.const 10))
                               (i32.eq (local.get $b) (i32.const 13))))
            (then
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $record)))
          (br_if $done (i32.ge_u (local.get $rows) (local.get $maxRows)))
          (local.set $rowStart (local.get $i))
          (local.set $c (i32.const 0))
          (loop $field
            (block $fieldEnd
              (if (i32.and (i32.shr_u (local.get $skip) (local.get $c)) (i32.const 1))
                (then
                  ;; a column not stored: up to the field's end, any text but a quote
                  (block $skipped
                    (loop $skipByte
                      (br_if $skipped (i32.eq (local.get $b) (local.get $delim)))
                      (br_if $skipped (i32.eq (local.get $b) (i32.const 10)))
                      (br_if $skipped (i32.eq (local.get $b) (i32.const 13)))
                      (br_if $bail (i32.eq (local.get $b) (i32.const 34)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $bail (i32.ge_u (local.get $i) (local.get $end)))
                      (local.set $b (i32.load8_u (local.get $i)))
                      (br $skipByte)))
                  (br $fieldEnd)))
              (if (i32.and (i32.shr_u (local.get $text) (local.get $c)) (i32.const 1))
                (then
                  ;; a text column: up to the field's end, any text but a quote, noted as
                  ;; [start, end) in the row's eight bytes
                  (local.set $start (local.get $i))
                  (block $textDone
                    (loop $textByte
                      (br_if $textDone (i32.eq (local.get $b) (local.get $delim)))
                      (br_if $textDone (i32.eq (local.get $b) (i32.const 10)))
                      (br_if $textDone (i32.eq (local.get $b) (i32.const 13)))
                      (br_if $bail (i32.eq (local.get $b) (i32.const 34)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $bail (i32.ge_u (local.get $i) (local.get $end)))
                      (local.set $b (i32.load8_u (local.get $i)))
                      (br $textByte)))
                  (local.set $area
                    (i32.add (i32.add (local.get $out)
                                      (i32.shl (i32.mul (local.get $c) (local.get $maxRows))
                                               (i32.const 3)))
                             (i32.shl (local.get $rows) (i32.const 3))))
                  (i32.store (local.get $area) (local.get $start))
                  (i32.store offset=4 (local.get $area) (local.get $i))
                  (br $fieldEnd)))
              ;; an optional minus, digits, an optional point and digits
              (local.set $negative (i32.const 0))
              (if (i32.eq (local.get $b) (i32.const 45))
                (then
                  (local.set $negative (i32.const 1))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))))
              (local.set $int (i64.const 0))
              (local.set $frac (i64.const 0))
              (local.set $scale (i64.const 1))
              (local.set $digits (i32.const 0))
              (local.set $start (local.get $i))
              (block $intDone
                (loop $intDigit
                  (br_if $intDone (i32.ge_u (local.get $i) (local.get $end)))
                  (local.set $b (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
                  (br_if $intDone (i32.gt_u (local.get $b) (i32.const 9)))
                  (local.set $int (i64.add (i64.mul (local.get $int) (i64.const 10))
                                           (i64.extend_i32_u (local.get $b))))
                  (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $intDigit)))
              ;; a leading zero: a code, unless the column is read as numbers
              (if (i32.gt_u (local.get $digits) (i32.const 1))
                (then
                  (br_if $bail
                    (i32.and (i32.eq (i32.load8_u (local.get $start)) (i32.const 48))
                             (i32.shr_u (local.get $plain) (local.get $c))))))
              (br_if $bail (i32.ge_u (local.get $i) (local.get $end)))
              (local.set $b (i32.load8_u (local.get $i)))
              (if (i32.eq (local.get $b) (i32.const 46))
                (then
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (block $fracDone
                    (loop $fracDigit
                      (br_if $fracDone (i32.ge_u (local.get $i) (local.get $end)))
                      (local.set $b (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
                      (br_if $fracDone (i32.gt_u (local.get $b) (i32.const 9)))
                      (local.set $frac (i64.add (i64.mul (local.get $frac) (i64.const 10))
                                                (i64.extend_i32_u (local.get $b))))
                      (local.set $scale (i64.mul (local.get $scale) (i64.const 10)))
                      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br $fracDigit)))
                  (br_if $bail (i32.ge_u (local.get $i) (local.get $end)))
                  (local.set $b (i32.load8_u (local.get $i)))))
              ;; the field must end here, as a plain decimal of 1..15 digits
              (br_if $bail (i32.eqz (i32.or (i32.eq (local.get $b) (local.get $delim))
                                            (i32.or (i32.eq (local.get $b) (i32.const 10))
                                                    (i32.eq (local.get $b) (i32.const 13))))))
              (br_if $bail (i32.eqz (local.get $digits)))
              (br_if $bail (i32.gt_u (local.get $digits) (i32.const 15)))
              ;; sign * (int + frac / scale), as the JavaScript computes it
              (local.set $value
                (f64.add (f64.convert_i64_u (local.get $int))
                         (f64.div (f64.convert_i64_u (local.get $frac))
                                  (f64.convert_i64_u (local.get $scale)))))
              (if (local.get $negative)
                (then (local.set $value (f64.mul (f64.const -1) (local.get $value)))))
              (local.set $area (i32.add (local.get $out)
                                        (i32.shl (i32.mul (local.get $c) (local.get $maxRows))
                                                 (i32.const 3))))
              (if (i32.and (i32.shr_u (local.get $ints) (local.get $c)) (i32.const 1))
                (then
                  ;; an int32, as csv.ts's isInt32 says: whole, in range, and not -0
                  (local.set $whole (i32.trunc_sat_f64_s (local.get $value)))
                  (br_if $bail (f64.ne (f64.convert_i32_s (local.get $whole)) (local.get $value)))
                  (br_if $bail (i32.and (local.get $negative) (i32.eqz (local.get $whole))))
                  (i32.store
                    (i32.add (local.get $area) (i32.shl (local.get $rows) (i32.const 2)))
                    (local.get $whole)))
                (else
                  (f64.store
                    (i32.add (local.get $area) (i32.shl (local.get $rows) (i32.const 3)))
                    (local.get $value)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (if (i32.eq (local.get $b) (local.get $delim))
              (then
                ;; another field: one more than the columns is the JavaScript's case
                (br_if $bail (i32.ge_u (local.get $c) (local.get $ncols)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $bail (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $b (i32.load8_u (local.get $i)))
                (br $field))))
          ;; the record ends at a line break inside the window, with every column
          (br_if $bail (i32.lt_u (local.get $c) (local.get $ncols)))
          (if (i32.eq (local.get $b) (i32.const 13))
            (then
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $bail (i32.ge_u (local.get $i) (local.get $end)))
              (local.set $b (i32.load8_u (local.get $i)))))
          (if (i32.eq (local.get $b) (i32.const 10))
            (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
          (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
          (br $record)))
      ;; stopped between records
      (global.set $stop (local.get $i))
      (return (local.get $rows)))
    ;; stopped inside a record: the JavaScript reads it
    (global.set $stop (local.get $rowStart))
    (local.get $rows)))
