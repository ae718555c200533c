package io.mlops.examples;

import io.mlops.core.Dataset;

import java.util.Random;

/**
 * A seeded synthetic customer-churn dataset: the same seed always gives the same rows.
 *
 * <p>Columns: {@code age}, {@code tenure_months}, {@code monthly_charges}, {@code total_charges},
 * {@code support_calls} (numeric), {@code contract} (categorical: month-to-month, one-year,
 * two-year) and {@code churn} (numeric 0/1, the target). Churn is more likely for short tenure,
 * high charges, many support calls and month-to-month contracts, so a model can learn it.
 */
public final class CustomerData {

    /** The contract types, in the order their shares are listed in {@link #generate}. */
    static final String[] CONTRACTS = {"month-to-month", "one-year", "two-year"};

    private CustomerData() {
    }

    /**
     * Generates customers.
     *
     * @param rows how many
     * @param seed the random seed
     * @return the dataset
     */
    public static Dataset generate(int rows, long seed) {
        return generate(rows, seed, 0);
    }

    /**
     * Generates customers whose behaviour has shifted: with {@code drift > 0}, monthly charges rise
     * by {@code 30 * drift}, support calls by {@code 2 * drift} on average, and month-to-month
     * contracts become more common. The churn rule stays the same.
     *
     * @param rows how many
     * @param seed the random seed
     * @param drift how far the population has moved, 0 (none) to 1
     * @return the dataset
     */
    public static Dataset generate(int rows, long seed, double drift) {
        Random random = new Random(seed);
        double[] age = new double[rows];
        double[] tenure = new double[rows];
        double[] monthly = new double[rows];
        double[] total = new double[rows];
        double[] calls = new double[rows];
        String[] contract = new String[rows];
        double[] churn = new double[rows];
        for (int i = 0; i < rows; i++) {
            age[i] = Math.round(Math.min(90, Math.max(18, 42 + 13 * random.nextGaussian())));
            tenure[i] = Math.min(72, Math.floor(-Math.log(1 - random.nextDouble()) * 24));
            monthly[i] = Math.round((20 + 30 * drift + 100 * random.nextDouble()) * 100) / 100.0;
            total[i] = Math.round(tenure[i] * monthly[i] * (0.95 + 0.1 * random.nextDouble()) * 100) / 100.0;
            calls[i] = poisson(random, 1.5 + 2 * drift);
            double u = random.nextDouble();
            double monthToMonth = 0.55 + 0.3 * drift;
            contract[i] = u < monthToMonth ? CONTRACTS[0] : u < monthToMonth + (1 - monthToMonth) * 0.55 ? CONTRACTS[1] : CONTRACTS[2];
            double logit = -1.2 - 0.045 * tenure[i] + 0.018 * (monthly[i] - 70) + 0.45 * calls[i]
                    + (contract[i].equals(CONTRACTS[0]) ? 1.1 : contract[i].equals(CONTRACTS[1]) ? -0.3 : -1.0);
            churn[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        }
        return Dataset.builder()
                .numeric("age", age)
                .numeric("tenure_months", tenure)
                .numeric("monthly_charges", monthly)
                .numeric("total_charges", total)
                .numeric("support_calls", calls)
                .categorical("contract", contract)
                .numeric("churn", churn)
                .build();
    }

    private static double poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
