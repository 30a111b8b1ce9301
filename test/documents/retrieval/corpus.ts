/**
 * A small corpus where the right passage for each question is known: twelve handbooks of three
 * sections each. `keyword` questions share words with their passage; `paraphrase` questions say
 * the same thing in other words (synonyms), which BM25 cannot match and embeddings can.
 */
export const CORPUS: Record<string, string> = {
  'leave.md': '# Leave\n\n## Annual leave\n\nEvery employee has 25 days of annual leave a year, booked in the HR portal.\n\n## Sick leave\n\nAfter three days off ill, bring a doctor note.\n\n## Parental leave\n\nNew parents get sixteen weeks at full salary.',
  'travel.md': '# Travel\n\n## Booking trips\n\nBook flights and trains through the travel desk at least two weeks ahead.\n\n## Per diem\n\nMeals abroad are covered up to 40 euros a day.\n\n## Hotels\n\nHotel nights are capped at 150 euros in capitals.',
  'security.md': '# Security\n\n## Passwords\n\nPasswords need sixteen characters and rotate yearly.\n\n## Badges\n\nWear your badge visibly inside the building at all times.\n\n## Laptops\n\nLaptops must use full disk encryption and lock after five minutes.',
  'cars.md': '# Company cars\n\n## Eligibility\n\nSales staff may lease an automobile after probation.\n\n## Fuel\n\nThe fuel card pays for petrol on business journeys only.\n\n## Damage\n\nReport any vehicle damage to the fleet office within a day.',
  'pay.md': '# Pay\n\n## Payday\n\nWages arrive on the 25th of every month.\n\n## Bonus\n\nThe yearly bonus depends on company results and personal goals.\n\n## Expenses\n\nExpense claims are reimbursed with the next wage payment.',
  'office.md': '# Office\n\n## Opening hours\n\nThe building opens at seven and closes at eight in the evening.\n\n## Desks\n\nDesks are shared; reserve one in the booking app.\n\n## Kitchen\n\nCoffee and fruit are free in every kitchen.',
  'it.md': '# IT help\n\n## Tickets\n\nOpen a ticket in the service portal for any computer problem.\n\n## Software\n\nOnly approved software may be installed on work machines.\n\n## Phones\n\nWork phones are replaced every three years.',
  'health.md': '# Health\n\n## Insurance\n\nPrivate health insurance covers the employee and their family.\n\n## Gym\n\nA gym subscription is refunded up to 30 euros a month.\n\n## Eyes\n\nScreen glasses are paid once every two years.',
  'training.md': '# Training\n\n## Courses\n\nEach person has a budget of 1500 euros a year for courses.\n\n## Conferences\n\nSpeakers at conferences get an extra day off.\n\n## Mentoring\n\nEvery newcomer is paired with a mentor for six months.',
  'remote.md': '# Remote work\n\n## Home office\n\nWork from home up to three days a week.\n\n## Equipment\n\nA monitor and chair for home are lent on request.\n\n## Abroad\n\nWorking from another country needs approval from legal.',
  'ethics.md': '# Ethics\n\n## Gifts\n\nGifts worth more than 50 euros must be declared.\n\n## Conflicts\n\nDeclare any side business that could conflict with your role.\n\n## Whistleblowing\n\nReport misconduct anonymously through the ethics line.',
  'exit.md': '# Leaving\n\n## Notice\n\nThe notice period is one month in the first year.\n\n## Handover\n\nWrite a handover document before your last day.\n\n## Return\n\nReturn your laptop and badge on the final day.',
};

export interface Question {
  question: string;
  /** The file and heading path of the passage that answers it. */
  answer: [string, string];
  kind: 'keyword' | 'paraphrase';
}

export const QUESTIONS: Question[] = [
  { question: 'How many days of annual leave do I have?', answer: ['leave.md', 'Leave > Annual leave'], kind: 'keyword' },
  { question: 'What is the per diem for meals abroad?', answer: ['travel.md', 'Travel > Per diem'], kind: 'keyword' },
  { question: 'How long must passwords be?', answer: ['security.md', 'Security > Passwords'], kind: 'keyword' },
  { question: 'When do wages arrive each month?', answer: ['pay.md', 'Pay > Payday'], kind: 'keyword' },
  { question: 'Is there a refund for a gym subscription?', answer: ['health.md', 'Health > Gym'], kind: 'keyword' },
  { question: 'How long is the notice period?', answer: ['exit.md', 'Leaving > Notice'], kind: 'keyword' },
  // Paraphrases: not one word (stop words aside) in common with the passage.
  { question: 'May I have an auto?', answer: ['cars.md', 'Company cars > Eligibility'], kind: 'paraphrase' },
  { question: 'Who refunds gasoline?', answer: ['cars.md', 'Company cars > Fuel'], kind: 'paraphrase' },
  { question: 'Telecommuting rules?', answer: ['remote.md', 'Remote work > Home office'], kind: 'paraphrase' },
  { question: 'Presents from suppliers?', answer: ['ethics.md', 'Ethics > Gifts'], kind: 'paraphrase' },
];

/** Words that mean the same to the fake embedding model. */
const SYNONYMS: Record<string, string> = {
  auto: 'car', automobile: 'car', vehicle: 'car', car: 'car', cars: 'car', lease: 'car',
  petrol: 'fuel', gasoline: 'fuel', fuel: 'fuel',
  telecommuting: 'remote', home: 'remote', remote: 'remote',
  presents: 'gift', gifts: 'gift', gift: 'gift', suppliers: 'gift',
  refunds: 'pay', pays: 'pay', reimbursed: 'pay', refunded: 'pay',
  rules: 'policy',
};
const DIMENSIONS = 256;

function hash(word: string): number {
  let h = 2166136261;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
  return (h >>> 0) % DIMENSIONS;
}

/** A fake embedding model: a bag of concepts (synonyms folded together), hashed into 256 dimensions. */
export function fakeEmbedding(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (word.length < 3 && !SYNONYMS[word]) continue;
    vector[hash(SYNONYMS[word] ?? word)]! += 1;
  }
  return vector;
}
