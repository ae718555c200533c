package io.mlops.drift.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * The distribution of the one-sample, two-sided Kolmogorov-Smirnov statistic D_n (SciPy's
 * {@code kstwo}), computed as Simard and L'Ecuyer (2011) recommend, with the same choice of method
 * per region as SciPy 1.10:
 * <ul>
 *   <li>Ruben-Gambino closed forms for {@code n x <= 1} and {@code n x >= n - 1};</li>
 *   <li>{@code 2 * smirnov(n, x)} (the exact one-sided tail, Birnbaum-Tingey) for {@code x >= 0.5},
 *       and for the upper tail where it is accurate ({@code n x² > 4} for n &lt;= 140,
 *       {@code n x² >= 2.2} above);</li>
 *   <li>otherwise the CDF by the Durbin matrix (Marsaglia-Tsang-Wang, with scaling), or, for large
 *       n and x, the Pelz-Good asymptotic series; the survival function is then 1 - CDF.</li>
 * </ul>
 * SciPy uses Pomeranz's algorithm where this class uses the Durbin matrix
 * ({@code n <= 140}, {@code 0.754693 < n x² <= 4}); both are exact, so they agree to rounding.
 * Stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class KolmogorovDistribution {

    private static final int E128 = 128;
    private static final double EP128 = Math.scalb(1.0, E128);
    private static final double EM128 = Math.scalb(1.0, -E128);
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double PI2 = Math.PI * Math.PI;
    private static final double PI4 = PI2 * PI2;
    private static final double PI6 = PI4 * PI2;

    private KolmogorovDistribution() {
    }

    /**
     * The survival function {@code P(D_n >= x)}.
     *
     * @param n the sample size, {@code >= 1}
     * @param x the statistic
     * @return the probability, in [0, 1]
     */
    public static double sf(int n, double x) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be >= 1 but was " + n);
        }
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double cdf;
            if (n <= 140) {
                cdf = 1.0;
                for (int i = 1; i <= n; i++) {
                    cdf *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - cdf);
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnov(n, x));
        }
        double nxx = t * x;
        if (n <= 140) {
            if (nxx <= 4) {
                return clip(1.0 - durbinCdf(n, x));
            }
            return clip(2 * smirnov(n, x));
        }
        if (nxx >= 370.0) {
            return 0.0;
        }
        if (nxx >= 2.2) {
            return clip(2 * smirnov(n, x));
        }
        double cdf;
        if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdf = durbinCdf(n, x);
        } else {
            cdf = pelzGoodCdf(n, x);
        }
        return clip(1.0 - cdf);
    }

    /** log(n! / n^n). */
    private static double logFactorialOverPower(int n) {
        return Gamma.logGamma(n + 1.0) - n * Math.log(n);
    }

    private static double clip(double p) {
        return Math.max(0.0, Math.min(1.0, p));
    }

    /**
     * The exact one-sided tail {@code P(D+_n >= x)} (Birnbaum and Tingey 1951):
     * {@code x * sum_{j=0}^{floor(n(1-x))} C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1)}, every term
     * positive, summed from logarithms.
     *
     * @param n the sample size
     * @param x the statistic, in (0, 1)
     * @return the probability
     */
    static double smirnov(int n, double x) {
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        int last = (int) Math.floor(n * (1 - x));
        // log C(n, j) by its recurrence, compensated: the difference of log-gammas of size n ln n
        // that it replaces loses about n ln n * 1e-16 (2.6e-9 relative at n = 1e6) to cancellation
        double logBinomial = 0;
        double logBinomialError = 0;
        double sum = 0;
        double compensation = 0;
        for (int j = 0; j <= last; j++) {
            if (j > 0) {
                double step = Math.log((n - j + 1) / (double) j) - logBinomialError;
                double next = logBinomial + step;
                logBinomialError = (next - logBinomial) - step;
                logBinomial = next;
            }
            double b = x + j / (double) n;
            double a = 1 - b;
            if (a <= 0 && n - j > 0) {
                continue;
            }
            double logTerm = logBinomial + (n - j == 0 ? 0 : (n - j) * Math.log1p(-b)) + (j - 1) * Math.log(b);
            double term = Math.exp(logTerm);
            double y = term - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
        }
        return x * sum;
    }

    /** P(D_n <= d) by the Durbin matrix, Marsaglia-Tsang-Wang form, scaling powers of 2^128. */
    static double durbinCdf(int n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] = (1.0 - Math.pow(h, j)) * fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        double[][] hm = new double[m][m];
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - (i - 1)];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] power = identity(m);
        int nn = n;
        int exponent = 0;
        int hExponent = 0;
        while (nn > 0) {
            if ((nn & 1) == 1) {
                power = multiply(power, hm);
                exponent += hExponent;
            }
            hm = multiply(hm, hm);
            hExponent *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > EP128) {
                scale(hm, EM128);
                hExponent += E128;
            }
            nn >>= 1;
        }
        double p = power[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= EP128;
                exponent -= E128;
            }
        }
        if (exponent != 0) {
            p = Math.scalb(p, exponent);
        }
        return clip(p);
    }

    private static double[][] identity(int m) {
        double[][] id = new double[m][m];
        for (int i = 0; i < m; i++) {
            id[i][i] = 1.0;
        }
        return id;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail == 0) {
                    continue;
                }
                double[] bl = b[l];
                for (int j = 0; j < m; j++) {
                    ci[j] += ail * bl[j];
                }
            }
        }
        return c;
    }

    private static void scale(double[][] a, double factor) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
    }

    /**
     * The Pelz-Good (1976) asymptotic series for P(D_n <= x): the Li-Chien/Korolyuk expansion
     * K0 + K1/sqrt(n) + K2/n + K3/n^1.5 in z = x sqrt(n), each term in its theta-function form for
     * small z.
     */
    static double pelzGoodCdf(int n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double qlog = -PI2 / 8 / z2;
        if (qlog < -708) {
            return 0.0;
        }
        double q = Math.exp(qlog);
        double k1a = -z2;
        double k1b = PI2 / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * PI2 / 4;
        double k2c = PI4 * (1 - 2 * z2) / 16;
        double k3d = PI6 * (5 - 30 * z2) / 64;
        double k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = PI2 * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * Math.pow(z, 8);
        double[] kk = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxk; k > 0; k--) {
            double m = 2 * k - 1;
            double m2 = m * m;
            double m4 = m2 * m2;
            double m6 = m4 * m2;
            double qpower = Math.pow(q, 8 * k);
            kk[0] = kk[0] * qpower + 1.0;
            kk[1] = kk[1] * qpower + (k1a + k1b * m2);
            kk[2] = kk[2] * qpower + (k2a + k2b * m2 + k2c * m4);
            kk[3] = kk[3] * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
        }
        double[] div = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            kk[i] = kk[i] * q * SQRT2PI / div[i];
        }
        double q2 = Math.exp(-PI2 / 2 / z2);
        double sqrt3z = Math.sqrt(3) * z;
        double k2extra = 0;
        double k3extra = 0;
        for (int k = maxk; k > 0; k--) {
            double ksq = (double) k * k;
            double qp = Math.pow(q2, ksq);
            double kspi = Math.PI * k;
            k2extra += ksq * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp;
        }
        kk[2] += k2extra * PI2 * SQRT2PI / (-36 * z3);
        kk[3] += k3extra * PI2 * SQRT2PI / (216 * z6);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += kk[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }
}
