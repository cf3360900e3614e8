;; Whether an odd modulus n shares a factor with P, the product of every prime up to 65537: the
;; fast path of smallPrimeFactor (rsa-weakness.ts). Built into small-factors-wasm.ts by
;; scripts/make-small-factor-wasm.ts, which fills in P's limb count and ships P itself beside the
;; module as hexadecimal (the caller loads it with loadProduct when it first needs it, so that a
;; process that never reduces P here neither decodes nor copies it); a test rebuilds the module
;; and compares the bytes.
;;
;; Numbers are little-endian arrays of 32-bit limbs; products and carries are i64. Two steps:
;; 1. Montgomery's reduction of P by n, a limb at a time (no division): r = P * 2^(-32K) mod n,
;;    where K is P's limb count. n is odd, so 2 is invertible mod n and gcd(r, n) = gcd(P, n).
;; 2. gcd(n, r) by Lehmer's method (Knuth, TAOCP 2, 4.5.2, algorithm L) on the leading 62 bits,
;;    with cofactors kept at or below 2^30 so that every limb product and carry fits an i64.
;; The answer is 0 (coprime: no small factor), 1 (a common factor) or 2 (a quotient past 2^30,
;; about one modulus in a billion, or a step gone wrong, which the arithmetic rules out: the caller
;; answers with BigInt arithmetic instead). The gcd alone (coprime) serves a caller that reduced P
;; by n itself.
;;
;; Memory (one page): P at 0 (loadProduct writes it), n at $nAt (the caller writes it), the
;; reduction's work area at $workAt (where the caller first writes P's 32-bit limbs for
;; loadProduct), the two gcd operands at $aAt and $bAt. At most 512 limbs (16,384 bits).
(module
  (memory (export "memory") 1)
  (global $K (export "productLimbs") i32 (i32.const {{K}}))
  (global $nAt (export "nAt") i32 (i32.const 14336))
  (global $n27At i32 (i32.const 16384))
  (global $workAt (export "workAt") i32 (i32.const 18944))
  (global $aAt (export "aAt") i32 (i32.const 52224))
  (global $bAt (export "bAt") i32 (i32.const 54784))
  (global $mask27 i32 (i32.const 0x07ffffff))
  (global $maxLimbs (export "maxLimbs") i32 (i32.const 512))

  ;; -n^(-1) mod 2^32 for odd n0, by Newton's iteration (each step doubles the correct bits; n0
  ;; itself is right to 3 bits, as n0 * n0 = 1 mod 8).
  (func $negativeInverse (param $n0 i32) (result i32)
    (local $x i32)
    (local.set $x (local.get $n0))
    (local.set $x (i32.mul (local.get $x) (i32.sub (i32.const 2) (i32.mul (local.get $n0) (local.get $x)))))
    (local.set $x (i32.mul (local.get $x) (i32.sub (i32.const 2) (i32.mul (local.get $n0) (local.get $x)))))
    (local.set $x (i32.mul (local.get $x) (i32.sub (i32.const 2) (i32.mul (local.get $n0) (local.get $x)))))
    (local.set $x (i32.mul (local.get $x) (i32.sub (i32.const 2) (i32.mul (local.get $n0) (local.get $x)))))
    (i32.sub (i32.const 0) (local.get $x)))

  ;; The number of limbs of the number of `limbs` limbs at `at` without its leading zero limbs.
  (func $significant (param $at i32) (param $limbs i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $limbs)))
        (br_if $done (i32.load (i32.add (local.get $at) (i32.shl (i32.sub (local.get $limbs) (i32.const 1)) (i32.const 2)))))
        (local.set $limbs (i32.sub (local.get $limbs) (i32.const 1)))
        (br $next)))
    (local.get $limbs))

  ;; -1, 0 or 1 as x < y, x = y or x > y, both of `limbs` limbs.
  (func $compare (param $x i32) (param $y i32) (param $limbs i32) (result i32)
    (local $p i32) (local $q i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $limbs)))
        (local.set $limbs (i32.sub (local.get $limbs) (i32.const 1)))
        (local.set $p (i32.load (i32.add (local.get $x) (i32.shl (local.get $limbs) (i32.const 2)))))
        (local.set $q (i32.load (i32.add (local.get $y) (i32.shl (local.get $limbs) (i32.const 2)))))
        (if (i32.lt_u (local.get $p) (local.get $q)) (then (return (i32.const -1))))
        (if (i32.gt_u (local.get $p) (local.get $q)) (then (return (i32.const 1))))
        (br $next)))
    (i32.const 0))

  ;; The 62 bits of the number at `at` that start at bit `shift` (bit 0 is the lowest of the limb
  ;; at `at`): its limbs top, top - 1 and top - 2 hold them (top counted from `at`, at least 2).
  (func $leading (param $at i32) (param $top i32) (param $lz i32) (result i64)
    (local $high i64) (local $low i64) (local $p i32)
    (local.set $p (i32.add (local.get $at) (i32.shl (local.get $top) (i32.const 2))))
    (local.set $high
      (i64.or
        (i64.shl (i64.load32_u (local.get $p)) (i64.const 32))
        (i64.load32_u (i32.sub (local.get $p) (i32.const 4)))))
    (local.set $low (i64.load32_u (i32.sub (local.get $p) (i32.const 8))))
    ;; The leading limb has lz leading zeros: 64-bit high has lz zeros, so shift left by lz - 2.
    (if (result i64) (i32.ge_s (local.get $lz) (i32.const 2))
      (then
        (i64.or
          (i64.shl (local.get $high) (i64.extend_i32_u (i32.sub (local.get $lz) (i32.const 2))))
          (i64.shr_u (local.get $low) (i64.extend_i32_u (i32.sub (i32.const 34) (local.get $lz))))))
      (else (i64.shr_u (local.get $high) (i64.extend_i32_u (i32.sub (i32.const 2) (local.get $lz)))))))

  ;; gcd(a, b) = 1? a at $aAt and b at $bAt, each of `limbs` limbs, a >= b. Both are overwritten.
  (func $coprime (export "coprime") (param $limbs i32) (result i32)
    (local $a i32) (local $b i32) (local $swap i32) (local $la i32) (local $lb i32) (local $lz i32)
    (local $x i64) (local $y i64) (local $u i64) (local $v i64) (local $q i64) (local $t i64)
    (local $A i64) (local $B i64) (local $C i64) (local $D i64)
    (local $i i32) (local $p i32) (local $r i32) (local $ai i64) (local $bi i64) (local $ca i64) (local $cb i64)
    (local.set $a (global.get $aAt))
    (local.set $b (global.get $bAt))
    (local.set $la (call $significant (local.get $a) (local.get $limbs)))
    (local.set $lb (call $significant (local.get $b) (local.get $limbs)))
    (loop $round
      ;; Keep a >= b.
      (if (i32.lt_s (call $compare (local.get $a) (local.get $b) (local.get $la)) (i32.const 0))
        (then
          (local.set $swap (local.get $a)) (local.set $a (local.get $b)) (local.set $b (local.get $swap))
          (local.set $swap (local.get $la)) (local.set $la (local.get $lb)) (local.set $lb (local.get $swap))))
      ;; b = 0: the gcd is a.
      (if (i32.eqz (local.get $lb))
        (then
          (return (i32.eqz (i32.and (i32.eq (local.get $la) (i32.const 1))
                                    (i32.eq (i32.load (local.get $a)) (i32.const 1)))))))
      ;; Both below 2^64: Euclid's algorithm in i64.
      (if (i32.le_u (local.get $la) (i32.const 2))
        (then
          (local.set $u (i64.load (local.get $a)))
          (local.set $v (if (result i64) (i32.eq (local.get $lb) (i32.const 2))
            (then (i64.load (local.get $b))) (else (i64.load32_u (local.get $b)))))
          (if (i32.eq (local.get $la) (i32.const 1)) (then (local.set $u (i64.load32_u (local.get $a)))))
          (block $euclidDone
            (loop $euclid
              (br_if $euclidDone (i64.eqz (local.get $v)))
              (local.set $t (i64.rem_u (local.get $u) (local.get $v)))
              (local.set $u (local.get $v))
              (local.set $v (local.get $t))
              (br $euclid)))
          (return (i64.ne (local.get $u) (i64.const 1)))))
      ;; The leading 62 bits of a, and b's bits at the same place.
      (local.set $lz (i32.clz (i32.load (i32.add (local.get $a) (i32.shl (i32.sub (local.get $la) (i32.const 1)) (i32.const 2))))))
      (local.set $x (call $leading (local.get $a) (i32.sub (local.get $la) (i32.const 1)) (local.get $lz)))
      (local.set $y (call $leading (local.get $b) (i32.sub (local.get $la) (i32.const 1)) (local.get $lz)))
      (local.set $A (i64.const 1)) (local.set $B (i64.const 0))
      (local.set $C (i64.const 0)) (local.set $D (i64.const 1))
      (block $stop
        (loop $step
          ;; Stop where a denominator is not positive (then truncation and floor would differ).
          (br_if $stop (i64.le_s (i64.add (local.get $y) (local.get $C)) (i64.const 0)))
          (br_if $stop (i64.le_s (i64.add (local.get $y) (local.get $D)) (i64.const 0)))
          (local.set $q (i64.div_s (i64.add (local.get $x) (local.get $A)) (i64.add (local.get $y) (local.get $C))))
          (br_if $stop (i64.ne (local.get $q)
            (i64.div_s (i64.add (local.get $x) (local.get $B)) (i64.add (local.get $y) (local.get $D)))))
          ;; Cofactors stay at or below 2^30 (signs alternate, so |A - qC| = |A| + q|C|).
          (br_if $stop (i64.gt_u (local.get $q) (i64.const 0x40000000)))
          (br_if $stop (i64.gt_u
            (i64.add (call $abs (local.get $A)) (i64.mul (local.get $q) (call $abs (local.get $C))))
            (i64.const 0x40000000)))
          (br_if $stop (i64.gt_u
            (i64.add (call $abs (local.get $B)) (i64.mul (local.get $q) (call $abs (local.get $D))))
            (i64.const 0x40000000)))
          (local.set $t (i64.sub (local.get $A) (i64.mul (local.get $q) (local.get $C))))
          (local.set $A (local.get $C)) (local.set $C (local.get $t))
          (local.set $t (i64.sub (local.get $B) (i64.mul (local.get $q) (local.get $D))))
          (local.set $B (local.get $D)) (local.set $D (local.get $t))
          (local.set $t (i64.sub (local.get $x) (i64.mul (local.get $q) (local.get $y))))
          (local.set $x (local.get $y)) (local.set $y (local.get $t))
          (br $step)))
      ;; No step taken, where b's leading bits are not far below a's (y >= 2^32) and only the
      ;; bounds of the quotient disagreed: subtract q = max(1, x / (y + 1)) times b, which is the
      ;; quotient or one less (a > b; then a - qb < 2b). A quotient past that (b 30 bits and more
      ;; shorter than a) is a long division, which this code leaves to BigInts.
      (if (i64.eqz (local.get $B))
        (then
          (if (i64.lt_u (local.get $y) (i64.const 0x100000000)) (then (return (i32.const 2))))
          (local.set $q (i64.div_u (local.get $x) (i64.add (local.get $y) (i64.const 1))))
          (if (i64.eqz (local.get $q)) (then (local.set $q (i64.const 1))))
          (local.set $A (i64.const 1)) (local.set $B (i64.sub (i64.const 0) (local.get $q)))
          (local.set $C (i64.const 0)) (local.set $D (i64.const 1))))
      ;; (a, b) = (A a + B b, C a + D b), limb by limb with signed carries, in place.
      (local.set $ca (i64.const 0)) (local.set $cb (i64.const 0))
      (local.set $i (i32.const 0))
      (loop $limb
        (local.set $p (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $r (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $ai (i64.load32_u (local.get $p)))
        (local.set $bi (i64.load32_u (local.get $r)))
        (local.set $t (i64.add (i64.add (i64.mul (local.get $A) (local.get $ai)) (i64.mul (local.get $B) (local.get $bi))) (local.get $ca)))
        (i64.store32 (local.get $p) (local.get $t))
        (local.set $ca (i64.shr_s (local.get $t) (i64.const 32)))
        (local.set $t (i64.add (i64.add (i64.mul (local.get $C) (local.get $ai)) (i64.mul (local.get $D) (local.get $bi))) (local.get $cb)))
        (i64.store32 (local.get $r) (local.get $t))
        (local.set $cb (i64.shr_s (local.get $t) (i64.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $limb (i32.lt_u (local.get $i) (local.get $la))))
      ;; Both results are non-negative and below a: a carry left over means a wrong step.
      (if (i32.eqz (i64.eqz (i64.or (local.get $ca) (local.get $cb)))) (then (return (i32.const 2))))
      (local.set $lb (call $significant (local.get $b) (local.get $la)))
      (local.set $la (call $significant (local.get $a) (local.get $la)))
      (br $round))
    (i32.const 2))

  (func $abs (param $v i64) (result i64)
    (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (i64.lt_s (local.get $v) (i64.const 0))))

  ;; Whether the odd number of `limbs` limbs at $nAt (its top limb not zero, 0 < limbs <= 512,
  ;; above 1) shares a factor with P: 0 no, 1 yes, 2 not decided here.
  (func (export "sharesSmallFactor") (param $limbs i32) (result i32)
    (local $count i32) (local $inverse i32) (local $m i32) (local $mm v128) (local $row i32) (local $rowsEnd i32)
    (local $pn i32) (local $pt i32) (local $nEnd i32) (local $carry i64) (local $v i64) (local $k i32)
    (local.set $count (call $toRadix27 (global.get $nAt) (local.get $limbs) (global.get $n27At)))
    ;; Zero limbs up to a multiple of 4, for whole vectors.
    (local.set $nEnd (i32.add (global.get $n27At) (i32.shl (local.get $count) (i32.const 2))))
    (i64.store (local.get $nEnd) (i64.const 0))
    (i64.store offset=8 (local.get $nEnd) (i64.const 0))
    (local.set $count (i32.and (i32.add (local.get $count) (i32.const 3)) (i32.const -4)))
    (local.set $nEnd (i32.add (global.get $n27At) (i32.shl (local.get $count) (i32.const 2))))
    ;; -n^(-1) mod 2^27 (the inverse mod 2^32 of n's lowest 27-bit limb, cut to 27 bits).
    (local.set $inverse (i32.and (call $negativeInverse (i32.load (global.get $n27At))) (global.get $mask27)))
    ;; The work area: P's limbs widened to 64 bits, then count + 2 zero limbs.
    (local.set $pn (i32.const 0))
    (local.set $pt (global.get $workAt))
    (loop $widen
      (v128.store (local.get $pt) (i64x2.extend_low_i32x4_u (v128.load (local.get $pn))))
      (v128.store offset=16 (local.get $pt) (i64x2.extend_high_i32x4_u (v128.load (local.get $pn))))
      (local.set $pn (i32.add (local.get $pn) (i32.const 16)))
      (local.set $pt (i32.add (local.get $pt) (i32.const 32)))
      (br_if $widen (i32.lt_u (local.get $pn) (i32.shl (global.get $K) (i32.const 2)))))
    (local.set $rowsEnd (i32.add (global.get $workAt) (i32.shl (global.get $K) (i32.const 3))))
    (memory.fill (local.get $rowsEnd) (i32.const 0) (i32.shl (i32.add (local.get $count) (i32.const 2)) (i32.const 3)))
    ;; Row by row: add m * n at the row, m chosen so that the row's limb becomes a multiple of
    ;; 2^27; its top carries into the next row. Limbs are added to without carrying: each receives
    ;; at most 608 products below 2^54 (n has at most 608 limbs), its own limb and a carry below
    ;; 2^37, so stays below 2^64.
    (local.set $carry (i64.const 0))
    (local.set $row (global.get $workAt))
    (loop $rows
      (local.set $v (i64.add (i64.load (local.get $row)) (local.get $carry)))
      (local.set $m (i32.and (i32.mul (i32.wrap_i64 (local.get $v)) (local.get $inverse)) (global.get $mask27)))
      (local.set $mm (i32x4.splat (local.get $m)))
      (local.set $pn (global.get $n27At))
      (local.set $pt (local.get $row))
      (loop $limbs4
        (v128.store (local.get $pt)
          (i64x2.add (v128.load (local.get $pt)) (i64x2.extmul_low_i32x4_u (v128.load (local.get $pn)) (local.get $mm))))
        (v128.store offset=16 (local.get $pt)
          (i64x2.add (v128.load offset=16 (local.get $pt)) (i64x2.extmul_high_i32x4_u (v128.load (local.get $pn)) (local.get $mm))))
        (local.set $pn (i32.add (local.get $pn) (i32.const 16)))
        (local.set $pt (i32.add (local.get $pt) (i32.const 32)))
        (br_if $limbs4 (i32.lt_u (local.get $pn) (local.get $nEnd))))
      (local.set $carry (i64.shr_u (i64.add (i64.load (local.get $row)) (local.get $carry)) (i64.const 27)))
      (local.set $row (i32.add (local.get $row) (i32.const 8)))
      (br_if $rows (i32.lt_u (local.get $row) (local.get $rowsEnd))))
    ;; r = P * 2^(-27K) mod n + (0 or n), below 2n: the limbs from the last row on, carried.
    (local.set $k (i32.const 0))
    (loop $normalise
      (local.set $pt (i32.add (local.get $rowsEnd) (i32.shl (local.get $k) (i32.const 3))))
      (local.set $v (i64.add (i64.load (local.get $pt)) (local.get $carry)))
      (i32.store (i32.add (global.get $n27At) (i32.shl (local.get $k) (i32.const 2))) (i32.and (i32.wrap_i64 (local.get $v)) (global.get $mask27)))
      (local.set $carry (i64.shr_u (local.get $v) (i64.const 27)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $normalise (i32.lt_u (local.get $k) (i32.add (local.get $count) (i32.const 1)))))
    ;; The gcd's operands: n and r in limbs + 1 limbs of 32 bits (r overwrote n's 27-bit limbs).
    (local.set $k (i32.add (local.get $limbs) (i32.const 1)))
    (memory.fill (global.get $bAt) (i32.const 0) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2)))
    (call $fromRadix27 (global.get $n27At) (i32.add (local.get $count) (i32.const 1)) (global.get $bAt) (local.get $k))
    (memory.copy (global.get $aAt) (global.get $nAt) (i32.shl (local.get $limbs) (i32.const 2)))
    (i32.store (i32.add (global.get $aAt) (i32.shl (local.get $limbs) (i32.const 2))) (i32.const 0))
    (call $coprime (local.get $k)))

  ;; P's `words` 32-bit limbs, least significant first, which the caller wrote at $workAt, as the
  ;; 27-bit limbs sharesSmallFactor reads at 0; returns their count (at most $K: the caller checks).
  (func (export "loadProduct") (param $words i32) (result i32)
    (call $toRadix27 (global.get $workAt) (local.get $words) (i32.const 0)))

  ;; The number of `limbs` 32-bit limbs at `from` as 27-bit limbs at `to`; returns their count.
  (func $toRadix27 (param $from i32) (param $limbs i32) (param $to i32) (result i32)
    (local $bits i64) (local $held i32) (local $end i32) (local $count i32)
    (local.set $end (i32.add (local.get $from) (i32.shl (local.get $limbs) (i32.const 2))))
    (loop $next
      (local.set $bits (i64.or (local.get $bits)
        (i64.shl (i64.load32_u (local.get $from)) (i64.extend_i32_u (local.get $held)))))
      (local.set $held (i32.add (local.get $held) (i32.const 32)))
      (local.set $from (i32.add (local.get $from) (i32.const 4)))
      (block $drained
        (loop $out
          (br_if $drained (i32.lt_u (local.get $held) (i32.const 27)))
          (i32.store (i32.add (local.get $to) (i32.shl (local.get $count) (i32.const 2)))
            (i32.and (i32.wrap_i64 (local.get $bits)) (global.get $mask27)))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (local.set $bits (i64.shr_u (local.get $bits) (i64.const 27)))
          (local.set $held (i32.sub (local.get $held) (i32.const 27)))
          (br $out)))
      (br_if $next (i32.lt_u (local.get $from) (local.get $end))))
    (if (local.get $held)
      (then
        (i32.store (i32.add (local.get $to) (i32.shl (local.get $count) (i32.const 2))) (i32.wrap_i64 (local.get $bits)))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))))
    (local.get $count))

  ;; The `count` 27-bit limbs at `from` as 32-bit limbs at `to` (at most `limbs` of them, zeroed before).
  (func $fromRadix27 (param $from i32) (param $count i32) (param $to i32) (param $limbs i32)
    (local $bits i64) (local $held i32) (local $i i32) (local $written i32)
    (loop $next
      (local.set $bits (i64.or (local.get $bits)
        (i64.shl (i64.load32_u (i32.add (local.get $from) (i32.shl (local.get $i) (i32.const 2)))) (i64.extend_i32_u (local.get $held)))))
      (local.set $held (i32.add (local.get $held) (i32.const 27)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.ge_u (local.get $held) (i32.const 32))
        (then
          (if (i32.lt_u (local.get $written) (local.get $limbs))
            (then (i32.store (i32.add (local.get $to) (i32.shl (local.get $written) (i32.const 2))) (i32.wrap_i64 (local.get $bits)))))
          (local.set $written (i32.add (local.get $written) (i32.const 1)))
          (local.set $bits (i64.shr_u (local.get $bits) (i64.const 32)))
          (local.set $held (i32.sub (local.get $held) (i32.const 32)))))
      (br_if $next (i32.lt_u (local.get $i) (local.get $count))))
    (if (i32.and (i32.ne (local.get $held) (i32.const 0)) (i32.lt_u (local.get $written) (local.get $limbs)))
      (then (i32.store (i32.add (local.get $to) (i32.shl (local.get $written) (i32.const 2))) (i32.wrap_i64 (local.get $bits))))))
)
