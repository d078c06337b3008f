/**
 * Names from the UK's many communities, weighted so that the commonest names recur as they
 * do in real schools. Each community lists girls' names, boys' names and surnames.
 */
export interface Community {
  weight: number;
  girls: readonly string[];
  boys: readonly string[];
  surnames: readonly string[];
}

export const communities: readonly Community[] = [
  {
    weight: 46,
    girls: ['Olivia', 'Amelia', 'Isla', 'Ava', 'Lily', 'Freya', 'Emily', 'Ivy', 'Florence', 'Poppy', 'Isabella', 'Sophia', 'Grace', 'Evie', 'Charlotte', 'Elizabeth', 'Katherine', 'Rebecca', 'Abigail', 'Zoë', 'Chloé', 'Eleanor', 'Matilda', 'Rosie'],
    boys: ['Oliver', 'George', 'Noah', 'Arthur', 'Leo', 'Oscar', 'Harry', 'Archie', 'Jack', 'Henry', 'Charlie', 'Freddie', 'Thomas', 'William', 'James', 'Samuel', 'Alexander', 'Theodore', 'Joseph', 'Benjamin', 'Edward', 'Daniel'],
    surnames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Hughes', 'Edwards', 'Turner', 'Harris', 'Smith-Jones', 'Lloyd-Davies', 'Fox'],
  },
  {
    weight: 6,
    girls: ['Siobhán', 'Niamh', 'Aoife', 'Ciara', 'Róisín', 'Saoirse'],
    boys: ['Oisín', 'Cian', 'Seán', 'Patrick', 'Conor', 'Darragh'],
    surnames: ["O'Brien", "O'Connor", 'Murphy', 'Kelly', "O'Sullivan", 'McCarthy', 'Doyle', 'Byrne'],
  },
  {
    weight: 5,
    girls: ['Cerys', 'Seren', 'Ffion', 'Eira', 'Megan', 'Catrin'],
    boys: ['Dafydd', 'Rhys', 'Gethin', 'Osian', 'Ioan', 'Llŷr'],
    surnames: ['Jones', 'Williams', 'Morgan', 'Price', 'Llewellyn', 'ap Rhys', 'Pritchard'],
  },
  {
    weight: 4,
    girls: ['Isla', 'Eilidh', 'Morven', 'Kirsty', 'Ailsa'],
    boys: ['Callum', 'Euan', 'Hamish', 'Angus', 'Fraser'],
    surnames: ['MacDonald', 'McLeod', 'Campbell', 'Stewart', 'Robertson', 'Mackenzie'],
  },
  {
    weight: 10,
    girls: ['Aisha', 'Fatima', 'Maryam', 'Zainab', 'Hafsa', 'Ayesha', 'Inaya', 'Amina', 'Khadija', 'Anaya'],
    boys: ['Mohammed', 'Muhammad', 'Ibrahim', 'Yusuf', 'Zayn', 'Hamza', 'Ayaan', 'Ali', 'Omar', 'Musa'],
    surnames: ['Khan', 'Ahmed', 'Hussain', 'Ali', 'Akhtar', 'Begum', 'Iqbal', 'Rahman', 'Mahmood', 'Bibi', 'Uddin', 'Chowdhury', 'Miah'],
  },
  {
    weight: 6,
    girls: ['Priya', 'Anaya', 'Diya', 'Aanya', 'Ishani', 'Simran', 'Navreet'],
    boys: ['Arjun', 'Aarav', 'Rohan', 'Dev', 'Vihaan', 'Harjeet', 'Gurpreet'],
    surnames: ['Patel', 'Singh', 'Kaur', 'Shah', 'Sharma', 'Gill', 'Sandhu', 'Mistry', 'Desai'],
  },
  {
    weight: 6,
    girls: ['Adaeze', 'Chiamaka', 'Oluwaseun', 'Folake', 'Temitope', 'Ngozi', 'Abena', 'Efua'],
    boys: ['Chidi', 'Oluwatobi', 'Emeka', 'Kwame', 'Tunde', 'Femi', 'Kofi', 'Adebayo'],
    surnames: ['Okafor', 'Adeyemi', 'Mensah', 'Okonkwo', 'Balogun', 'Owusu', 'Adebayo', 'Nwosu', 'Asante'],
  },
  {
    weight: 3,
    girls: ['Shanice', 'Jada', 'Tianna', 'Keisha'],
    boys: ['Marcus', 'Tyrone', 'Jermaine', 'Kai'],
    surnames: ['Campbell', 'Francis', 'Grant', 'Thomas', 'Clarke', 'Reid'],
  },
  {
    weight: 5,
    girls: ['Zofia', 'Zuzanna', 'Maja', 'Aleksandra', 'Katarzyna', 'Małgorzata', 'Julia'],
    boys: ['Jakub', 'Szymon', 'Filip', 'Kacper', 'Michał', 'Wojciech', 'Łukasz'],
    surnames: ['Nowak', 'Kowalski', 'Wiśniewska', 'Wójcik', 'Kamińska', 'Lewandowski', 'Zieliński'],
  },
  {
    weight: 2,
    girls: ['Ioana', 'Andreea', 'Elena'],
    boys: ['Andrei', 'Mihai', 'Ștefan'],
    surnames: ['Popescu', 'Ionescu', 'Dumitru', 'Stoica'],
  },
  {
    weight: 2,
    girls: ['Hodan', 'Ayan', 'Sagal', 'Fadumo'],
    boys: ['Abdi', 'Abdirahman', 'Mahad', 'Liban'],
    surnames: ['Hassan', 'Mohamed', 'Abdi', 'Farah', 'Warsame', 'Osman'],
  },
  {
    weight: 2,
    girls: ['Mei', 'Xin', 'Yan', 'Hui'],
    boys: ['Wei', 'Jun', 'Hao', 'Ming'],
    surnames: ['Wang', 'Li', 'Zhang', 'Chen', 'Liu', 'Wong', 'Chan'],
  },
  {
    weight: 2,
    girls: ['Elif', 'Zeynep', 'Defne'],
    boys: ['Emre', 'Mehmet', 'Yusuf'],
    surnames: ['Yılmaz', 'Demir', 'Kaya', 'Öztürk'],
  },
  {
    weight: 1,
    girls: ['Renée', 'Anaïs', 'Maëlle'],
    boys: ['Loïc', 'Jérôme', 'Théo'],
    surnames: ['Dubois', 'Lefèvre', 'Moreau', 'de la Cruz'],
  },
];

export const staffTitles = { female: ['Mrs', 'Ms', 'Miss', 'Dr'], male: ['Mr', 'Mr', 'Mr', 'Dr'] } as const;

export const classNames: readonly string[] = [
  'Robins', 'Wrens', 'Owls', 'Kingfishers', 'Herons', 'Kestrels', 'Puffins', 'Falcons',
  'Oak', 'Ash', 'Rowan', 'Willow', 'Birch', 'Hazel', 'Elm', 'Maple', 'Cedar', 'Beech', 'Holly', 'Larch',
];

export const schoolNames: readonly string[] = [
  'Oakfield Primary School', 'St Mary’s CE Primary School', 'Riverside Community Primary',
  'Brookside Academy', 'Highgate Hill Primary', 'Meadowbank Primary School', 'Castle View Primary',
];
