/**
 * Frequently breached passwords of ten or more characters (shorter ones already fail the length rule).
 * Compared lower-cased. Kept small on purpose so the sign-up form can run the same check in the browser.
 */
export const commonPasswords = new Set([
  "1234567890", "12345678910", "123456789a", "1234567890a", "0123456789", "0987654321", "1111111111",
  "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx3edc", "a123456789", "aaaaaaaaaa", "abc1234567", "abcdefghij",
  "asdfghjkl1", "asdfghjkl;", "football12", "iloveyou12", "iloveyou123", "letmein123", "monkey1234",
  "password01", "password1!", "password12", "password123", "password1234", "password12345", "passw0rd12",
  "p@ssw0rd123", "p@ssword123", "qazwsxedcr", "qwerty1234", "qwerty12345", "qwerty123456", "qwertyuiop",
  "qwertyuiop1", "q1w2e3r4t5", "q1w2e3r4t5y6", "sunshine12", "superman12", "trustno1234", "welcome123",
  "welcome1234", "zaq12wsxcde", "zxcvbnm123", "zxcvbnmasd", "changeme123", "administrator", "admin12345",
  "admin123456", "letmeinplease", "iloveyou1234", "princess123", "dragon1234", "baseball12", "starwars12",
  "whatever12", "computer12", "michael123", "jennifer12", "charlie123", "basketball", "basketball1",
  "chocolate1", "butterfly1", "passwordpassword", "1234512345", "5555555555", "9876543210", "abcd123456",
]);
